// Workspace bundles: the lines written, and the reader's checks with their line and field.
import { describe, expect, it } from "vitest";
import { endLine, eventLine, headerLine, importedWorkspaceId, isGzip, postedEventText, type BundleEvent } from "../../shared/bundle.ts";
import { LIMITS } from "../../shared/event.ts";
import { BundleReader, formatBundleIssue, LineSplitter, MAX_LINE_CHARS } from "../../shared/bundle-parse.ts";

const event = (i: number): BundleEvent => ({
  id: `e-${i}`,
  ts: Date.UTC(2026, 10, 1) + i,
  received_at: Date.UTC(2026, 10, 1) + i + 5,
  type: "request",
  name: "GET /users/{id}",
  props: { status: 200, ok: true, env: "prod" },
});

const header = () => headerLine({ exported_at: "2026-11-23T10:00:00.000Z", workspace: { id: "ws_a", name: "payments", demo: false }, config: { thresholds: { coverage_min: 70 }, personas: ["admin"] } });

function bundle(events: number): string[] {
  return [header(), ...Array.from({ length: events }, (_, i) => eventLine(event(i))), endLine(events)];
}

function read(lines: string[]) {
  const reader = new BundleReader();
  const items = lines.map((l) => reader.line(l));
  const issues = reader.finish();
  return { reader, items, issues };
}

describe("bundle lines", () => {
  it("round-trips a workspace through the reader", () => {
    const { reader, items, issues } = read(bundle(3));
    expect(issues).toEqual([]);
    expect(reader.ok).toBe(true);
    expect(reader.header).toMatchObject({ format: "tally-bundle", version: 1, workspace: { id: "ws_a" }, config: { thresholds: { coverage_min: 70 } } });
    expect(items.filter((i) => i.kind === "event").map((i) => (i.kind === "event" ? i.event : null))).toEqual([event(0), event(1), event(2)]);
    expect(items.at(-1)).toEqual({ kind: "end", events: 3 });
  });

  it("writes events without their seq, fields in a fixed order", () => {
    const line = eventLine({ ...event(1), seq: 42, props: { a: 1 } } as BundleEvent & { seq: number });
    expect(line).toBe(`{"id":"e-1","ts":${event(1).ts},"received_at":${event(1).received_at},"type":"request","name":"GET /users/{id}","props":{"a":1}}`);
  });

  it("accepts ISO times and blank and CRLF lines", () => {
    const iso = JSON.stringify({ ...event(0), ts: "2026-11-01T00:00:00Z" });
    const { issues, items } = read([header() + "\r", "", iso + "\r", endLine(1)]);
    expect(issues).toEqual([]);
    expect(items[2]).toMatchObject({ kind: "event", event: { ts: Date.UTC(2026, 10, 1) } });
  });

  it("derives one import id per source workspace", () => {
    expect(importedWorkspaceId("ws_a")).toBe("bundle-ws_a");
    expect(importedWorkspaceId("bundle-ws_a")).toBe("bundle-ws_a");
  });

  it("recognises gzip by its magic number", () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(new TextEncoder().encode("{}"))).toBe(false);
  });
});

describe("bundle checks", () => {
  const bad = (mutate: (lines: string[]) => void) => {
    const lines = bundle(3);
    mutate(lines);
    return read(lines).issues.map(formatBundleIssue);
  };

  it.each([
    ["an invalid event field", (l: string[]) => (l[2] = JSON.stringify({ ...event(1), props: { status: { code: 200 } } })), /^line 3, props\.status: must be a string, number or boolean/],
    ["a missing id", (l: string[]) => (l[2] = JSON.stringify({ ...event(1), id: undefined })), /^line 3, id: /],
    ["an unknown field", (l: string[]) => (l[3] = JSON.stringify({ ...event(2), seq: 3 })), /^line 4, seq: unknown field/],
    ["a bad type", (l: string[]) => (l[1] = JSON.stringify({ ...event(0), type: "click" })), /^line 2, type: must be one of request/],
    ["a time in seconds", (l: string[]) => (l[1] = JSON.stringify({ ...event(0), ts: 1_763_000_000 })), /^line 2, ts: /],
    ["broken JSON", (l: string[]) => (l[2] = "{oops"), /^line 3: not valid JSON/],
    ["a newer version", (l: string[]) => (l[0] = l[0]!.replace('"version":1', '"version":2')), /^line 1, version: bundle version 2 is newer than this Tally reads \(1\)/],
    ["a missing end line", (l: string[]) => l.pop(), /^line 5: the end line is missing after 3 events: the bundle was cut short/],
    ["a wrong count", (l: string[]) => (l[4] = endLine(4)), /^line 6: the end line says 4 events, the bundle holds 3/],
    ["text after the end", (l: string[]) => l.push(eventLine(event(9))), /^line 6: text after the end line/],
  ])("names the line and field of %s", (_what, mutate, message) => {
    const issues = bad(mutate);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatch(message);
  });

  it("skips a config key that no longer fits today's schema, or is unknown, with a warning naming it; the rest imports", () => {
    const lines = bundle(2);
    lines[0] = lines[0]!.replace('"coverage_min":70', '"coverage_min":"high"').replace('"personas"', '"persona"');
    const { reader, issues, items } = read(lines);
    expect(issues).toEqual([]);
    expect(reader.ok).toBe(true);
    expect(reader.header?.config).toEqual({});
    expect(reader.warnings.map(formatBundleIssue)).toEqual([
      expect.stringMatching(/^line 1, config\.thresholds\.coverage_min: must be a number.*the key thresholds does not fit today's schema and was skipped$/),
      "line 1, config.persona: not a config key this Tally knows; skipped",
    ]);
    expect(items.filter((i) => i.kind === "event")).toHaveLength(2);
    // a key that fits is kept
    expect(read(bundle(0)).reader.header?.config).toEqual({ thresholds: { coverage_min: 70 }, personas: ["admin"] });
  });

  it("stops at a file that is not a bundle", () => {
    const reader = new BundleReader();
    reader.line("seq,id,ts");
    expect(reader.notABundle).toBe(true);
    expect(reader.finish().map(formatBundleIssue)).toEqual(['line 1: not a Tally bundle: the first line must be its header, with "format": "tally-bundle"']);
  });

  it("says an empty file is empty", () => {
    expect(read([]).issues.map(formatBundleIssue)).toEqual(["line 1: the file is empty: a bundle starts with its header line"]);
  });

  it("refuses an event over the size limit", () => {
    const big = JSON.stringify({ ...event(0), props: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, "x".repeat(1500)])) });
    const issues = bad((l) => (l[1] = big));
    expect(issues[0]).toMatch(/^line 2: event is \d+ bytes as posted; the limit is/);
  });

  // the edge measures the posted event {id,ts,type,name,props}, not the line with its received_at
  function sized(postedBytes: number): BundleEvent {
    const e = { ...event(0), props: { pad: "" } as Record<string, string> };
    const base = new TextEncoder().encode(postedEventText(e)).length;
    let rest = postedBytes - base;
    const props: Record<string, string> = {};
    for (let i = 0; rest > 0; i++) {
      const key = `p${i}`;
      const room = Math.min(LIMITS.propStringChars, rest - (i === 0 ? 0 : key.length + 6));
      props[i === 0 ? "pad" : key] = "é".repeat(Math.floor(room / 2)) + "x".repeat(room % 2);
      rest -= room + (i === 0 ? 0 : key.length + 6);
    }
    const out = { ...e, props };
    expect(new TextEncoder().encode(postedEventText(out)).length).toBe(postedBytes);
    return out;
  }

  it("refuses an event whose posted text is one byte over the edge's limit, though its line is close to it", () => {
    const over = sized(LIMITS.eventBytes + 1);
    const line = eventLine(over);
    expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(LIMITS.eventBytes + 64);
    const issues = bad((l) => (l[1] = line));
    expect(issues[0]).toBe(`line 2: event is ${LIMITS.eventBytes + 1} bytes as posted; the limit is ${LIMITS.eventBytes}`);
  });

  it("accepts an event whose posted text is exactly at the limit, though its line is over it", () => {
    const at = sized(LIMITS.eventBytes);
    expect(new TextEncoder().encode(eventLine(at)).length).toBeGreaterThan(LIMITS.eventBytes);
    expect(bad((l) => (l[1] = eventLine(at)))).toEqual([]);
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses %s as a prop key, naming line and field", (key) => {
    const line = eventLine(event(1)).replace('"props":{', `"props":{"${key}":"x",`);
    const issues = bad((l) => (l[2] = line));
    expect(issues).toContain(`line 3, props.${key}: "${key}" cannot be a prop key`);
  });

  it("keeps the first 50 problems and counts the rest", () => {
    const lines = [header(), ...Array.from({ length: 80 }, () => "{oops"), endLine(80)];
    const { reader, issues } = read(lines);
    expect(issues).toHaveLength(50);
    expect(reader.issueCount).toBe(80);
  });
});

describe("LineSplitter", () => {
  it("joins lines split across chunks", () => {
    const s = new LineSplitter();
    expect([...s.push('{"a"'), ...s.push(':1}\n{"b":'), ...s.push("2}\n{"), ...s.flush()]).toEqual(['{"a":1}', '{"b":2}', "{"]);
  });

  it("cuts an overlong line and drops its rest", () => {
    const s = new LineSplitter();
    const out = [...s.push("x".repeat(MAX_LINE_CHARS + 10)), ...s.push("yyy\nnext\n"), ...s.flush()];
    expect(out.map((l) => l.length)).toEqual([MAX_LINE_CHARS, 4]);
  });
});
