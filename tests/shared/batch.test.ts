// parseBatch: the three body forms and the errors for each.
import { describe, expect, it } from "vitest";
import { parseBatch } from "../../shared/batch.ts";

describe("parseBatch", () => {
  it("reads the object form with sent_at", () => {
    expect(parseBatch('{"events":[{"a":1}],"sent_at":"2026-11-20T10:00:00Z"}', "json")).toEqual({
      ok: true,
      value: { events: [{ a: 1 }], sent_at: "2026-11-20T10:00:00Z" },
    });
  });

  it("reads a bare array", () => {
    expect(parseBatch("[1,2]", "json")).toEqual({ ok: true, value: { events: [1, 2] } });
  });

  it("reads NDJSON, skipping blank lines and CRLF endings", () => {
    expect(parseBatch('{"a":1}\r\n\n  {"b":2}\n', "ndjson")).toEqual({ ok: true, value: { events: [{ a: 1 }, { b: 2 }] } });
  });

  it.each([
    ["not json", "json", "", /not valid JSON/],
    ["42", "json", "", /array of events/],
    ['{"event":[]}', "json", "event", /unknown field/],
    ['{"event":[]}', "json", "events", /must be an array/],
    ['{"events":{}}', "json", "events", /must be an array/],
    ['{"events":[],"sent_at":"soon"}', "json", "sent_at", /ISO-8601/],
    ['{"a":1}\n{oops', "ndjson", "line 2", /not valid JSON/],
  ] as const)("rejects %j as %s", (text, format, path, message) => {
    const result = parseBatch(text, format);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toContainEqual({ path, message: expect.stringMatching(message) });
    }
  });
});
