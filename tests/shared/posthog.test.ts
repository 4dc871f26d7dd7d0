// PostHog events to Tally track events: the mapping of names, ids, users, times
// (with sent_at skew and offset) and props, and rejections in PostHog's words.
import { describe, expect, it } from "vitest";
import { mapPosthogEvent, normalizePosthogBatch, posthogPath, posthogProps, posthogSentAt, urlPath } from "../../shared/posthog.ts";
import { LIMITS } from "../../shared/event.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
let n = 0;
const ctx = () => ({ receivedAt: NOW, newId: () => `new-${++n}` });

describe("normalizePosthogBatch", () => {
  it("maps a posthog-node event to a track event", () => {
    const out = normalizePosthogBatch(
      {
        events: [
          {
            event: "signed up",
            distinct_id: "user-42",
            uuid: "0193f5b2-0000-7000-8000-000000000001",
            timestamp: "2026-11-20T11:59:00.000Z",
            properties: { plan: "pro", seats: 3, trial: false, $lib: "posthog-node", $lib_version: "5.70.0", $geoip_disable: true },
            library: "posthog-node",
          },
        ],
      },
      ctx(),
    );
    expect(out).toEqual({
      events: [
        { id: "0193f5b2-0000-7000-8000-000000000001", ts: NOW - 60_000, type: "track", name: "signed up", props: { plan: "pro", seats: 3, trial: false, user: "user-42" } },
      ],
      rejections: [],
      warnings: [],
    });
  });

  it("corrects clock skew by received_at - sent_at, the event's sent_at before the batch's", () => {
    // batch: the sender's clock is 90 s fast; the second event says its own clock was 10 s slow
    const out = normalizePosthogBatch(
      {
        sent_at: "2026-11-20T12:01:30Z",
        events: [
          { event: "a", distinct_id: "u", timestamp: "2026-11-20T12:01:00Z" },
          { event: "b", distinct_id: "u", timestamp: "2026-11-20T11:59:40Z", sent_at: "2026-11-20T11:59:50Z" },
          { event: "c", distinct_id: "u", timestamp: "2026-11-20T12:01:00Z", properties: { $ignore_sent_at: true } },
        ],
      },
      ctx(),
    );
    expect(out.events.map((e) => [e.name, e.ts])).toEqual([
      ["a", NOW - 30_000],
      ["b", NOW - 10_000],
      ["c", NOW + 60_000],
    ]);
  });

  it("accepts sent_at as epoch ms, counts a missing timestamp back by offset, else uses receive time", () => {
    const out = normalizePosthogBatch(
      { sent_at: NOW + 5_000, events: [{ event: "a", timestamp: NOW }, { event: "b", offset: 1_500 }, { event: "c" }] },
      ctx(),
    );
    expect(out.events.map((e) => e.ts)).toEqual([NOW - 5_000, NOW - 1_500, NOW]);
  });

  it("clamps a time far ahead and warns with the posted index", () => {
    const out = normalizePosthogBatch({ events: [{ event: "bad" }, { event: "far", distinct_id: "u", timestamp: "2026-11-25T00:00:00Z" }] }, ctx());
    expect(out.events.map((e) => e.ts)).toEqual([NOW, NOW]);
    expect(out.warnings).toEqual([expect.objectContaining({ index: 1, code: "ts_clamped" })]);
  });

  it("rejects bad events by their posted index and PostHog field, keeping the good ones", () => {
    const out = normalizePosthogBatch(
      {
        events: [
          "not an event",
          { event: "ok", distinct_id: "u", uuid: "keep" },
          { distinct_id: "u", uuid: "no-name" },
          { event: "x", properties: ["a"] },
          { event: "x", timestamp: "yesterday", uuid: "bad-time" },
          { event: "x", distinct_id: "d".repeat(LIMITS.propStringChars + 1) },
          { event: "x", properties: { note: "n".repeat(LIMITS.propStringChars + 1) } },
          { event: "x", sent_at: "soon" },
          { event: "x", uuid: "u".repeat(LIMITS.idChars + 1) },
        ],
      },
      ctx(),
    );
    expect(out.events.map((e) => e.id)).toEqual(["keep"]);
    expect(out.rejections.map((r) => [r.index, r.path, r.id])).toEqual([
      [0, "", undefined],
      [2, "event", "no-name"],
      [3, "properties", undefined],
      [4, "timestamp", "bad-time"],
      [5, "distinct_id", undefined],
      [6, "properties.note", undefined],
      [7, "sent_at", undefined],
      [8, "uuid", undefined],
    ]);
    expect(out.rejections[1]!.message).toBe("required");
    expect(out.rejections[3]!.message).toMatch(/ISO-8601/);
  });

  it("derives missing ids from the idempotency key and the posted index", () => {
    const out = normalizePosthogBatch({ events: ["junk", { event: "a" }, { event: "b", uuid: "own" }, { event: "c" }] }, { ...ctx(), idempotencyKey: "k1" });
    expect(out.events.map((e) => e.id)).toEqual(["k1:1", "own", "k1:3"]);
  });

  it("leaves ids to the edge's rule when the event has no uuid", () => {
    const out = normalizePosthogBatch({ events: [{ event: "a" }, { event: "b", uuid: "" }] }, ctx());
    expect(out.events.map((e) => e.id)).toEqual([expect.stringMatching(/^new-\d+$/), expect.stringMatching(/^new-\d+$/)]);
    expect(out.events[0]!.id).not.toBe(out.events[1]!.id);
  });
});

describe("posthogProps", () => {
  it("keeps flat scalars, drops nested values, null, $ bookkeeping and the key", () => {
    const props = posthogProps(
      {
        plan: "pro",
        count: 2,
        beta: true,
        nested: { a: 1 },
        list: [1, 2],
        gone: null,
        $set: { email: "a@b.c" },
        $browser: "Chrome",
        $lib: "web",
        token: "tly_w_secret",
        api_key: "tly_w_secret",
        distinct_id: "someone",
      },
      "u1",
    );
    expect(props).toEqual({ plan: "pro", count: 2, beta: true, user: "u1" });
  });

  it("maps the useful $ properties to well-known props; the sender's own props win", () => {
    expect(
      posthogProps({ $current_url: "https://shop.example/cart/items?x=1#top", $feature_flag: "new-checkout", $feature_flag_response: "test", $session_id: "s1" }, undefined),
    ).toEqual({ path: "/cart/items", feature: "new-checkout", variant: "test", session: "s1" });
    expect(posthogProps({ $pathname: "/p", $current_url: "https://a.b/other" }, undefined)).toEqual({ path: "/p" });
    expect(posthogProps({ path: "/mine", $pathname: "/p", feature: "f", $feature_flag: "g" }, undefined)).toEqual({ path: "/mine", feature: "f" });
    expect(posthogProps({ user: "prop-user" }, "distinct")).toEqual({ user: "distinct" });
  });
});

describe("mapPosthogEvent", () => {
  it("finds the user in distinct_id, then properties.distinct_id, then $distinct_id; numbers become text", () => {
    const user = (e: Record<string, unknown>) => {
      const m = mapPosthogEvent({ event: "x", ...e }, 0, undefined, NOW);
      return m.ok ? (m.event["props"] as Record<string, unknown>)["user"] : "rejected";
    };
    expect(user({ distinct_id: "a", properties: { distinct_id: "b" } })).toBe("a");
    expect(user({ properties: { distinct_id: "b", $distinct_id: "c" } })).toBe("b");
    expect(user({ properties: { $distinct_id: "c" } })).toBe("c");
    expect(user({ distinct_id: 1234 })).toBe("1234");
    expect(user({})).toBeUndefined();
  });
});

describe("helpers", () => {
  it("urlPath", () => {
    expect(urlPath("https://a.b")).toBe("/");
    expect(urlPath("http://a.b:8080/x/y?q")).toBe("/x/y");
    expect(urlPath("/local#h")).toBe("/local");
    expect(urlPath("not a url")).toBeUndefined();
  });

  it("posthogPath", () => {
    expect(["name", "id", "ts", "props.user", "props", "props.a", 'props["a b"]', ""].map(posthogPath)).toEqual([
      "event",
      "uuid",
      "timestamp",
      "distinct_id",
      "properties",
      "properties.a",
      'properties["a b"]',
      "",
    ]);
  });

  it("posthogSentAt", () => {
    expect(posthogSentAt(undefined)).toEqual({ ok: true });
    expect(posthogSentAt("2026-11-20T12:00:00Z")).toEqual({ ok: true, ms: NOW });
    expect(posthogSentAt(NOW)).toEqual({ ok: true, ms: NOW });
    expect(posthogSentAt("noon")).toMatchObject({ ok: false });
  });
});
