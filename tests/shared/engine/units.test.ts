// The engine's small parts: calendar maths, integer key tables, number parsing.
import { describe, expect, it } from "vitest";
import { Arena, RETAINED_BYTES } from "../../../shared/engine/arena.ts";
import { DAY_MS, firstDayOfMonth, monthOfDay } from "../../../shared/engine/buckets.ts";
import { IntKeys } from "../../../shared/engine/int-keys.ts";
import { numberOfText, numberWithText } from "../../../shared/engine/values.ts";

describe("calendar", () => {
  it("agrees with Date on every day from 1600 to 2400", () => {
    const first = Date.UTC(1600, 0, 1) / DAY_MS;
    const last = Date.UTC(2400, 0, 1) / DAY_MS;
    for (let day = first; day <= last; day++) {
      const d = new Date(day * DAY_MS);
      const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (monthOfDay(day) !== month) expect(monthOfDay(day), `day ${day}`).toBe(month);
      if (d.getUTCDate() === 1 && firstDayOfMonth(month) !== day) expect(firstDayOfMonth(month), `month ${month}`).toBe(day);
    }
  });
});

describe("IntKeys", () => {
  it("hands out dense ids in first-seen order, growing both ways", () => {
    const keys = new IntKeys();
    const seen = [500, 200, 500, 404, 10_000, -7, 200, 0, -7];
    expect(seen.map((k) => keys.id(k))).toEqual([0, 1, 0, 2, 3, 4, 1, 5, 4]);
    expect(keys.keys).toEqual([500, 200, 404, 10_000, -7, 0]);
  });

  it("takes far-apart, fractional and NaN keys through its map", () => {
    const keys = new IntKeys();
    const seen = [1, 2 ** 40, 1.5, NaN, -(2 ** 45), 1, 2 ** 40, 1.5, NaN];
    expect(seen.map((k) => keys.id(k))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3]);
  });
});

describe("numbers in text", () => {
  it.each([
    ["42", 42],
    ["-1.5", -1.5],
    ["2e3", 2000],
    ["1e+21", 1e21],
    [".5", 0.5],
    ["5.", 5],
    ["", NaN],
    [" 7", NaN],
    ["0x10", NaN],
    ["Infinity", NaN],
    ["1e999", NaN],
    ["true", NaN],
  ])("numberOfText(%j) is %d", (text, n) => {
    expect(numberOfText(text)).toBe(n);
  });

  it.each([
    ["500", 500],
    ["500.0", NaN],
    ["007", NaN],
    ["1e+21", 1e21],
    ["1e21", NaN],
    ["-0", NaN],
  ])("numberWithText(%j) is %d: only the text String(n) gives", (text, n) => {
    expect(numberWithText(text)).toBe(n);
  });
});

describe("Arena", () => {
  it("hands the same buffers out again, in order, run after run", () => {
    const arena = new Arena();
    const a = arena.take("i32", 100);
    const b = arena.take("i32", 50);
    arena.reset();
    expect(arena.take("i32", 80).buffer).toBe(a.buffer);
    expect(arena.take("i32", 50).buffer).toBe(b.buffer);
    expect(arena.take("i32", 10).buffer).not.toBe(a.buffer); // a third request gets a buffer of its own
    arena.reset();
    const grown = arena.take("i32", 200); // too small now: replaced
    expect(grown.length).toBe(200);
    expect(grown.buffer).not.toBe(a.buffer);
  });

  it("keeps a role's buffer within and across runs", () => {
    const arena = new Arena();
    const a = arena.scratch("f64", "values", 10);
    expect(arena.scratch("f64", "values", 5).buffer).toBe(a.buffer);
    arena.reset();
    expect(arena.scratch("f64", "values", 10).buffer).toBe(a.buffer);
  });

  it("lets go of what is past its budget between runs", () => {
    const arena = new Arena();
    const third = Math.floor(RETAINED_BYTES / 2.5);
    const kept = [arena.take("u8", third), arena.take("u8", third), arena.take("u8", third)];
    arena.reset();
    expect(arena.take("u8", third).buffer).toBe(kept[0]!.buffer);
    expect(arena.take("u8", third).buffer).toBe(kept[1]!.buffer);
    expect(arena.take("u8", third).buffer).not.toBe(kept[2]!.buffer);
  });
});
