// validateEvent: one row per rule the README publishes.
import { describe, expect, it } from "vitest";
import { formatPath, validateEvent } from "../../shared/validate.ts";

const ok = { type: "request", name: "GET /x" };

describe("validateEvent", () => {
  it("accepts a full event", () => {
    const e = { id: "1", ts: "2026-11-20T10:00:00.5+02:00", type: "test", name: "suite > case", props: { s: "x", n: 1.5, b: false } };
    expect(validateEvent(e)).toEqual({ ok: true, value: e });
  });

  it.each([
    ["type missing", { name: "x" }, "type", "required"],
    ["unknown type", { ...ok, type: "click" }, "type", /must be one of/],
    ["name missing", { type: "request" }, "name", "required"],
    ["empty name", { ...ok, name: "" }, "name", "must not be empty"],
    ["long name", { ...ok, name: "n".repeat(513) }, "name", /512/],
    ["empty id", { ...ok, id: "" }, "id", "must not be empty"],
    ["numeric id", { ...ok, id: 7 }, "id", /string/],
    ["long id", { ...ok, id: "i".repeat(129) }, "id", /128/],
    ["ts without zone", { ...ok, ts: "2026-11-20T10:00:00" }, "ts", /ISO-8601/],
    ["ts in seconds", { ...ok, ts: 1_763_632_800 }, "ts", /seconds/],
    ["fractional ms", { ...ok, ts: 1_763_632_800_000.5 }, "ts", /integer/],
    ["nested prop", { ...ok, props: { a: [1] } }, "props.a", /flat/],
    ["null prop", { ...ok, props: { a: null } }, "props.a", /flat/],
    ["long string prop", { ...ok, props: { a: "x".repeat(2001) } }, "props.a", /2000/],
    ["long prop key", { ...ok, props: { ["k".repeat(129)]: 1 } }, "props", /129 characters; the limit is 128/],
    ["empty prop key", { ...ok, props: { "": 1 } }, "props", /must not be empty/],
    ["ts of wrong type", { ...ok, ts: true }, "ts", /ISO-8601 text or epoch milliseconds/],
    ["101 props", { ...ok, props: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, i])) }, "props", /at most 100/],
    ["unknown field", { ...ok, tags: [] }, "tags", "unknown field"],
    // as JSON.parse makes it: an own key, which copying would silently drop
    ["__proto__ prop key", { ...ok, props: JSON.parse('{"__proto__": "x", "a": 1}') as Record<string, unknown> }, "props.__proto__", /cannot be a prop key/],
  ])("%s", (_, input, path, message) => {
    const result = validateEvent(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("accepts exactly 100 props and a 2,000-character value", () => {
    const props = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, "x".repeat(2000)]));
    expect(validateEvent({ ...ok, props }).ok).toBe(true);
  });
});

describe("formatPath", () => {
  it("dots plain keys and brackets the rest", () => {
    expect(formatPath(["props", "status"])).toBe("props.status");
    expect(formatPath(["props", "a.b", 0])).toBe('props["a.b"][0]');
    expect(formatPath([])).toBe("");
  });
});
