// The CLI's pure pieces on their own: backoff, Retry-After, batch planning,
// id filling, format sniffing and .dev.vars reading.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../shared/event.ts";
import { backoffMs, isRetryable, parseRetryAfter } from "../../cli/http.ts";
import { batchBody, planBatches } from "../../cli/post/batches.ts";
import { fillIds, formatFromName, parseSniffed } from "../../cli/post/input.ts";
import { readDevVar } from "../../cli/config.ts";
import { clean, shellWord, table } from "../../cli/format.ts";
import { tempDir } from "./helpers.ts";

describe("backoff", () => {
  it("is full jitter over an exponential window capped at 8 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffMs(n, () => 0.999999))).toEqual([249, 499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(backoffMs(3, () => 0)).toBe(0);
  });

  it("retries 429, 5xx and no answer, nothing else", () => {
    expect([null, 429, 500, 502, 503, 504].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 415].some(isRetryable)).toBe(false);
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(2026, 10, 20, 10, 0, 0);
  it.each([
    ["5", 5000],
    [" 0 ", 0],
    ["Fri, 20 Nov 2026 10:00:12 GMT", 12_000],
    ["Fri, 20 Nov 2026 09:00:00 GMT", 0],
    ["soon", undefined],
    [null, undefined],
  ])("%j is %j ms", (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe("planBatches", () => {
  it("respects the event count limit", () => {
    const plan = planBatches(Array.from({ length: 7 }, (_, i) => ({ i })), { maxEvents: 3, maxBytes: 1e9 });
    expect(plan.batches.map((b) => b.indexes)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("computes each body's exact size", () => {
    const events = [{ a: "é" }, { b: 2 }, { c: [1, 2] }];
    const [batch] = planBatches(events).batches;
    const body = batchBody(batch!, new Date(0).toISOString());
    expect(Buffer.byteLength(body)).toBe(batch!.bytes);
    expect(JSON.parse(body)).toEqual({ events, sent_at: "1970-01-01T00:00:00.000Z" });
  });

  it("splits by bytes, an oversized event taking a batch of its own", () => {
    const small = { s: "x".repeat(10) };
    const big = { b: "y".repeat(200) };
    const plan = planBatches([small, small, big, small], { maxEvents: 1000, maxBytes: 150 });
    expect(plan.batches.map((b) => b.indexes)).toEqual([[0, 1], [2], [3]]);
    expect(plan.unsendable).toEqual([]);
  });

  it("leaves out what no body can hold, and keeps file indexes", () => {
    const plan = planBatches([{ a: 1 }, { z: "z".repeat(LIMITS.bodyBytes) }, { b: 2 }]);
    expect(plan.unsendable.map((u) => u.index)).toEqual([1]);
    expect(plan.batches.map((b) => b.indexes)).toEqual([[0, 2]]);
  });
});

describe("fillIds", () => {
  it("adds <sha256 prefix>-<index> to plain objects without an id only", () => {
    const bytes = Buffer.from("whatever the file held");
    const prefix = createHash("sha256").update(bytes).digest("hex").slice(0, 20);
    const { events, filled } = fillIds([{ a: 1 }, { id: "keep" }, { id: null }, 5, [1], null, { b: 2 }], bytes);
    expect(events).toEqual([{ id: `${prefix}-0`, a: 1 }, { id: "keep" }, { id: null }, 5, [1], null, { id: `${prefix}-6`, b: 2 }]);
    expect(filled).toBe(2);
  });
});

describe("format", () => {
  it("comes from the extension where it can", () => {
    expect(["a.json", "A.JSON", "b.ndjson", "c.jsonl", "d.txt", "-"].map(formatFromName)).toEqual(["json", "json", "ndjson", "ndjson", undefined, undefined]);
  });

  it("is sniffed otherwise: JSON first, then NDJSON", () => {
    expect(parseSniffed('[\n{"a":1},\n{"b":2}\n]')).toEqual({ ok: true, value: { events: [{ a: 1 }, { b: 2 }] } });
    expect(parseSniffed('{"a":1}\n{"b":2}')).toEqual({ ok: true, value: { events: [{ a: 1 }, { b: 2 }] } });
    const envelope = parseSniffed('{"events": {"a": 1}}');
    expect(envelope.ok).toBe(false);
  });
});

describe("readDevVar", () => {
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
  afterEach(() => tmp?.remove());

  it("reads the last assignment, unquoted, and ignores other keys", async () => {
    tmp = await tempDir();
    await tmp.write(".dev.vars", 'TALLY_ADMIN_SECRET_OLD=no\nTALLY_ADMIN_SECRET="first"\n# TALLY_ADMIN_SECRET=commented\nTALLY_ADMIN_SECRET="a b#c"\n');
    expect(await readDevVar(tmp.dir, "TALLY_ADMIN_SECRET")).toBe("a b#c");
    expect(await readDevVar(tmp.dir, "MISSING")).toBeUndefined();
  });

  it("is undefined without a file", async () => {
    tmp = await tempDir();
    expect(await readDevVar(tmp.dir, "TALLY_ADMIN_SECRET")).toBeUndefined();
  });
});

describe("output helpers", () => {
  it("strip control characters", () => {
    expect(clean("a\u001b[2Jb\r\nc\u009b")).toBe("a [2Jb  c ");
  });

  it("quote shell words only when needed", () => {
    expect(shellWord("http://localhost:8787")).toBe("http://localhost:8787");
    expect(shellWord("http://h/?a=1&b=2")).toBe("'http://h/?a=1&b=2'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it("align table columns", () => {
    expect(table(["A", "BB"], [["xxx", "y"], ["z", "w"]])).toBe("A    BB\nxxx  y\nz    w");
  });
});
