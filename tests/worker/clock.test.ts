// Event times: epoch ms and ISO input, receive time, sender clock skew
// correction through sent_at, and clamping of times far in the future.
import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/event.ts";
import type { IngestResponse } from "../../shared/wire.ts";
import { ingest, pullAll, requestEvent, workspace } from "./helpers.ts";

const HOUR = 3_600_000;

/** Posts a batch and returns the response and the stored events, with the test's clock around the request. */
async function roundTrip(body: unknown) {
  const ws = await workspace();
  const before = Date.now();
  const response: IngestResponse = await ingest(ws.id, ws.write, body);
  const after = Date.now();
  const events: StoredEvent[] = await pullAll(ws.id, ws.read);
  for (const e of events) {
    expect(e.received_at).toBeGreaterThanOrEqual(before);
    expect(e.received_at).toBeLessThanOrEqual(after);
  }
  return { response, events, before, after };
}

describe("timestamps without sent_at", () => {
  it("stores ISO-8601 and epoch milliseconds as epoch milliseconds, exactly", async () => {
    const { events, response } = await roundTrip([
      requestEvent({ ts: 1_763_632_800_000 }),
      requestEvent({ ts: "2026-11-20T10:00:00Z" }),
      requestEvent({ ts: "2026-11-20T12:00:00+02:00" }),
      requestEvent({ ts: "2026-11-20T10:00:00.123Z" }),
      requestEvent({ ts: Date.UTC(2000, 0, 1) }),
    ]);
    expect(response.warnings).toEqual([]);
    const at = Date.UTC(2026, 10, 20, 10);
    expect(events.map((e) => e.ts)).toEqual([1_763_632_800_000, at, at, at + 123, Date.UTC(2000, 0, 1)]);
  });

  it("defaults a missing ts to the receive time, the same for the whole batch", async () => {
    const { events } = await roundTrip([requestEvent({ ts: undefined }), requestEvent({ ts: undefined })]);
    expect(events).toHaveLength(2);
    for (const e of events) expect(e.ts).toBe(e.received_at);
    expect(events[0]!.received_at).toBe(events[1]!.received_at);
  });

  it("clamps a ts more than 23 h ahead to the receive time, with a ts_clamped warning", async () => {
    const now = Date.now();
    const { events, response } = await roundTrip([
      requestEvent({ id: "near", ts: now + 22 * HOUR }),
      requestEvent({ id: "far", ts: now + 24 * HOUR }),
      requestEvent({ id: "iso", ts: new Date(now + 48 * HOUR).toISOString() }),
    ]);
    expect(response.accepted).toBe(3);
    expect(response.warnings).toEqual([
      { index: 1, code: "ts_clamped", message: `ts ${new Date(now + 24 * HOUR).toISOString()} is more than 23 h ahead of receive time; stored as receive time` },
      { index: 2, code: "ts_clamped", message: expect.stringMatching(/^ts \S+ is more than 23 h ahead/) },
    ]);
    const [near, far, iso] = events;
    expect(near!.ts).toBe(now + 22 * HOUR);
    expect(far!.ts).toBe(far!.received_at);
    expect(iso!.ts).toBe(iso!.received_at);
  });

  it("clamps the latest time epoch milliseconds can name without failing", async () => {
    const { events, response } = await roundTrip({ events: [requestEvent({ ts: 8.64e15 })], sent_at: Date.now() - 60_000 });
    expect(response.warnings).toEqual([{ index: 0, code: "ts_clamped", message: expect.stringMatching(/^ts \d+ ms is more than 23 h ahead/) }]);
    expect(events[0]!.ts).toBe(events[0]!.received_at);
  });
});

describe("clock skew correction with sent_at", () => {
  it("shifts every ts by received_at - sent_at when the sender's clock runs fast", async () => {
    const fast = Date.now() + 2 * HOUR;
    const ts = [fast - 5_000, fast - 60_000];
    const { events, response } = await roundTrip({ events: ts.map((t) => requestEvent({ ts: t })), sent_at: fast });
    expect(response.warnings).toEqual([]);
    events.forEach((e, i) => {
      expect(e.ts).toBe(ts[i]! + (e.received_at - fast));
      // the sender's ts were 5 s and 60 s before it sent: so are the stored ones, against edge time
      expect(Math.abs(e.ts - (e.received_at - [5_000, 60_000][i]!))).toBeLessThan(2_000);
    });
  });

  it("shifts forward when the sender's clock runs slow, with sent_at as ISO text", async () => {
    const slow = Date.now() - 3 * HOUR;
    const { events } = await roundTrip({ events: [requestEvent({ ts: new Date(slow - 1_000).toISOString() })], sent_at: new Date(slow).toISOString() });
    const e = events[0]!;
    // ISO text has millisecond precision: the expected value is exact
    expect(e.ts).toBe(slow - 1_000 + (e.received_at - slow));
    expect(Math.abs(e.ts - (e.received_at - 1_000))).toBeLessThan(2_000);
  });

  it("brings a ts that looked far ahead back to the edge's time instead of clamping it", async () => {
    const fast = Date.now() + 30 * HOUR;
    const { events, response } = await roundTrip({ events: [requestEvent({ ts: fast - 10_000 })], sent_at: fast });
    expect(response.warnings).toEqual([]);
    expect(events[0]!.ts).toBe(fast - 10_000 + (events[0]!.received_at - fast));
  });

  it("clamps a ts the correction pushes more than 23 h ahead", async () => {
    const slow = Date.now() - 23 * HOUR;
    const { events, response } = await roundTrip({ events: [requestEvent({ ts: Date.now() + HOUR })], sent_at: slow });
    expect(response.warnings.map((w) => [w.index, w.code])).toEqual([[0, "ts_clamped"]]);
    expect(events[0]!.ts).toBe(events[0]!.received_at);
  });

  it("leaves a missing ts at the receive time, unshifted", async () => {
    const { events } = await roundTrip({ events: [requestEvent({ ts: undefined })], sent_at: Date.now() + 5 * HOUR });
    expect(events[0]!.ts).toBe(events[0]!.received_at);
  });
});
