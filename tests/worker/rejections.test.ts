// Per-event validation: each invalid event is rejected with its index, path and
// reason while the valid events of the same batch are stored.
import { describe, expect, it } from "vitest";
import type { IngestResponse, Rejection } from "../../shared/wire.ts";
import { expectError, postJson, postRaw, pullAll, requestEvent, snapshot, workspace } from "./helpers.ts";

const FLAT = "must be a string, number or boolean: props are flat, nested values and null are not allowed";
const many = (n: number, value: (i: number) => unknown = (i) => i) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, value(i)]));

/** [what, the bad event's fields over a valid request event, path, message] */
const CASES: [string, Record<string, unknown>, string, string | RegExp][] = [
  ["an unknown type", { type: "metric" }, "type", "must be one of request, test, mock, job, chaos, track"],
  ["a missing type", { type: undefined }, "type", "required"],
  ["a missing name", { name: undefined }, "name", "required"],
  ["an empty name", { name: "" }, "name", "must not be empty"],
  ["a name of 513 characters", { name: "n".repeat(513) }, "name", "names are limited to 512 characters"],
  ["a name that is not a string", { name: 42 }, "name", "must be a string"],
  ["a nested prop", { props: { status: 200, deep: { a: 1 } } }, "props.deep", FLAT],
  ["an array prop", { props: { tags: ["a", "b"] } }, "props.tags", FLAT],
  ["a null prop", { props: { status: null } }, "props.status", FLAT],
  ["props that are not a map", { props: [1, 2] }, "props", /expected record/],
  ["101 props", { props: many(101) }, "props", "at most 100 props per event, got 101"],
  ["a prop key of 129 characters", { props: { ["k".repeat(129)]: 1 } }, "props", `prop key "${"k".repeat(20)}…" is 129 characters; the limit is 128`],
  ["an empty prop key", { props: { "": 1 } }, "props", "prop keys must not be empty"],
  ["a string value of 2,001 characters", { props: { s: "x".repeat(2001) } }, "props.s", "string values are limited to 2000 characters"],
  ["an event over 32 KB", { props: many(20, () => "x".repeat(1700)) }, "", /^event is 34\d{3} bytes; the limit is 32768$/],
  ["an unknown field", { extra: true }, "extra", "unknown field"],
  ["a misspelled field", { prop: { a: 1 } }, "prop", "unknown field"],
  ["a ts that is not a time", { ts: "yesterday" }, "ts", /^must be ISO-8601 date-time with a zone/],
  ["a ts without a zone", { ts: "2026-11-20T10:00:00" }, "ts", /^must be ISO-8601 date-time with a zone/],
  ["a ts in seconds", { ts: 1_763_632_800 }, "ts", "epoch milliseconds before 2000-01-01: was it sent in seconds?"],
  ["a fractional epoch ts", { ts: 1_763_632_800_000.5 }, "ts", "epoch milliseconds must be an integer"],
  ["a boolean ts", { ts: true }, "ts", "must be ISO-8601 text or epoch milliseconds"],
];

describe("each rejection class", () => {
  it.each(CASES)("rejects %s and stores the rest", async (_, fields, path, message) => {
    const ws = await workspace();
    const [a, bad, b] = [requestEvent({ id: "a" }), requestEvent({ id: "bad", ...fields }), requestEvent({ id: "b" })];
    const res = await postJson(ws.id, ws.write, { events: [a, bad, b] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IngestResponse;
    expect(body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 1,
      rejections: [{ index: 1, id: "bad", path, message: typeof message === "string" ? message : expect.stringMatching(message) }],
      warnings: [],
    });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.id)).toEqual(["a", "b"]);
  });

  it("leaves out an id it cannot use: too long, empty, or not a string", async () => {
    const ws = await workspace();
    const events = [requestEvent({ id: "i".repeat(129) }), requestEvent({ id: "" }), requestEvent({ id: 7 }), requestEvent({ id: "ok" })];
    const body = (await (await postJson(ws.id, ws.write, events)).json()) as IngestResponse;
    expect(body.rejections).toEqual([
      { index: 0, path: "id", message: "ids are limited to 128 characters" },
      { index: 1, path: "id", message: "must not be empty" },
      { index: 2, path: "id", message: expect.stringMatching(/expected string/) },
    ]);
    expect(body).toMatchObject({ accepted: 1, rejected: 3 });
  });

  it.each([
    ["a string", "event", "Invalid input: expected object, received string"],
    ["null", null, "Invalid input: expected object, received null"],
    ["a number", 5, "Invalid input: expected object, received number"],
    ["an array", [requestEvent()], "Invalid input: expected object, received array"],
  ])("rejects %s in place of an event", async (_, bad, message) => {
    const ws = await workspace();
    const body = (await (await postJson(ws.id, ws.write, [requestEvent({ id: "a" }), bad])).json()) as IngestResponse;
    expect(body).toEqual({ accepted: 1, duplicates: 0, rejected: 1, rejections: [{ index: 1, path: "", message }], warnings: [] });
  });

  it("accepts every per-event limit exactly", async () => {
    const ws = await workspace();
    const events = [
      requestEvent({ id: "i".repeat(128), name: "n".repeat(512) }),
      requestEvent({ props: many(100) }),
      requestEvent({ props: { ["k".repeat(128)]: "v".repeat(2000) } }),
      requestEvent({ props: { a: "", b: 0, c: -1.5, d: false, e: 1e300 } }),
    ];
    const body = (await (await postJson(ws.id, ws.write, events)).json()) as IngestResponse;
    expect(body).toEqual({ accepted: 4, duplicates: 0, rejected: 0, rejections: [], warnings: [] });
    expect((await pullAll(ws.id, ws.read)).map((e) => e.props)).toEqual(events.map((e) => e.props));
  });
});

describe("batches with several rejections", () => {
  it("reports every issue of one event, each with its path, and counts the event once", async () => {
    const ws = await workspace();
    const bad = { id: "m", type: "metric", name: "x", props: { a: null }, extra: 1 };
    const body = (await (await postJson(ws.id, ws.write, [bad, requestEvent({ id: "ok" })])).json()) as IngestResponse;
    expect(body.rejected).toBe(1);
    expect(body.accepted).toBe(1);
    const issues = body.rejections.map((r: Rejection) => [r.index, r.id, r.path]);
    expect(issues.sort()).toEqual([
      [0, "m", "extra"],
      [0, "m", "props.a"],
      [0, "m", "type"],
    ]);
  });

  it("numbers NDJSON events by non-blank line", async () => {
    const ws = await workspace();
    const lines = [JSON.stringify(requestEvent({ id: "a" })), "", "   ", JSON.stringify({ type: "request" }), "", JSON.stringify(requestEvent({ id: "b" }))];
    const res = await postRaw(ws.id, ws.write, lines.join("\n"), { "Content-Type": "application/x-ndjson" });
    const body = (await res.json()) as IngestResponse;
    expect(body).toEqual({ accepted: 2, duplicates: 0, rejected: 1, rejections: [{ index: 1, path: "name", message: "required" }], warnings: [] });
  });

  it("answers 400 invalid_events with the full report when every event is rejected, and stores nothing", async () => {
    const ws = await workspace();
    await postJson(ws.id, ws.write, [requestEvent({ id: "kept" })]);
    const before = await snapshot(ws.id);
    const events = [{ type: "request" }, requestEvent({ id: "x", props: { a: [] } }), requestEvent({ id: "y", ts: 12 })];
    const error = await expectError(await postJson(ws.id, ws.write, events), 400, "invalid_events");
    expect(error.message).toBe("all 3 events were rejected; nothing was stored");
    expect(error.details).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: 3,
      rejections: [
        { index: 0, path: "name", message: "required" },
        { index: 1, id: "x", path: "props.a", message: FLAT },
        { index: 2, id: "y", path: "ts", message: "epoch milliseconds before 2000-01-01: was it sent in seconds?" },
      ],
      warnings: [],
    });
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it("rejects 999 of 1,000 and stores the one valid event", async () => {
    const ws = await workspace();
    const events = Array.from({ length: 1000 }, (_, i) => (i === 500 ? requestEvent({ id: "only" }) : requestEvent({ id: `bad-${i}`, type: "nope" })));
    const body = (await (await postJson(ws.id, ws.write, events)).json()) as IngestResponse;
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 999 });
    expect(body.rejections).toHaveLength(999);
    expect(body.rejections.map((r) => r.index)).toEqual(Array.from({ length: 1000 }, (_, i) => i).filter((i) => i !== 500));
    expect((await pullAll(ws.id, ws.read)).map((e) => e.id)).toEqual(["only"]);
  });
});
