// Narrow stored encodings of segment columns: every value back exactly, in the narrowest width that holds it.
import { describe, expect, it } from "vitest";
import { ABSENT } from "../../shared/columns.ts";
import { mulberry32 } from "../../shared/prng.ts";
import { packCodes, packNumbers, packProp, unpackCodes, unpackNumbers, unpackProp, type PackedNumbers } from "../../app/src/store/packing.ts";

type NumberArray = typeof Uint8Array | typeof Uint16Array | typeof Uint32Array | typeof Float64Array;

/** Packs and unpacks, checking the values come back exactly (NaN as NaN, -0 as -0). */
function roundTripNumbers(values: number[]): PackedNumbers {
  const packed = packNumbers(Float64Array.from(values));
  const back = unpackNumbers(packed);
  expect(back).toBeInstanceOf(Float64Array);
  expect(back.length).toBe(values.length);
  const wrong = values.flatMap((v, i) => (Object.is(back[i], v) ? [] : [`${i}: ${back[i]} for ${v}`]));
  expect(wrong).toEqual([]);
  return packed;
}

function roundTripCodes(codes: number[]): ReturnType<typeof packCodes> {
  const packed = packCodes(Int32Array.from(codes));
  const back = unpackCodes(packed);
  expect(back).toBeInstanceOf(Int32Array);
  expect(back).toEqual(Int32Array.from(codes));
  return packed;
}

describe("packCodes", () => {
  it.each([
    ["codes up to 127", [0, ABSENT, 5, 127, ABSENT], Int8Array],
    ["a code of 128", [128, ABSENT, 0], Int16Array],
    ["codes up to 32,767", [ABSENT, 32_767, 3], Int16Array],
    ["a code of 32,768", [32_768, ABSENT], Int32Array],
    ["huge codes", [ABSENT, 2_000_000_000, 0], Int32Array],
    ["no code at all", [ABSENT, ABSENT, ABSENT], Int8Array],
    ["an empty column", [], Int8Array],
  ])("keeps %s in %o", (_, codes, type) => {
    const packed = roundTripCodes(codes);
    expect(packed).toBeInstanceOf(type);
    // signed, so absent is stored as -1 like any code
    expect([...packed]).toEqual(codes);
  });

  it("does not share the caller's array", () => {
    const codes = Int32Array.from([70_000, 1]);
    const packed = packCodes(codes);
    codes[0] = 3;
    expect([...unpackCodes(packed)]).toEqual([70_000, 1]);
  });
});

describe("packNumbers", () => {
  const T = 1_700_000_000_000; // an epoch-ms time: too large to store without a base

  it.each<[string, number[], NumberArray, number]>([
    // small non-negative integers as they are
    ["bytes", [0, 5, 255, 3], Uint8Array, 0],
    ["bytes with absent values, the top value kept for NaN", [0, 254, NaN], Uint8Array, 0],
    ["255 with absent values", [0, 255, NaN], Uint16Array, 0],
    ["16 bits", [0, 65_535, 7], Uint16Array, 0],
    ["16 bits with absent values", [NaN, 65_534, 7], Uint16Array, 0],
    ["65,535 with absent values", [NaN, 65_535, 7], Uint32Array, 0],
    ["status codes", [200, 500, 404], Uint16Array, 0],
    ["32 bits", [1, 0xffff_fffe, NaN], Uint32Array, 0],
    // others as offsets from the smallest
    ["a span of 0 far from zero", [T, T, T], Uint8Array, T],
    ["a span of 254 with absent values", [T + 254, NaN, T], Uint8Array, T],
    ["a span of 255", [T + 255, T], Uint8Array, T],
    ["a span of 255 with absent values", [T + 255, NaN, T], Uint16Array, T],
    ["a span of 65,534 with absent values", [T + 65_534, NaN, T], Uint16Array, T],
    ["a span of 65,535", [T, T + 65_535], Uint16Array, T],
    ["a span of 65,535 with absent values", [T, NaN, T + 65_535], Uint32Array, T],
    ["a span of 2^32 - 1", [T, T + 0xffff_ffff], Uint32Array, T],
    ["negative numbers", [-5, 3, NaN, -1, 120], Uint8Array, -5],
    ["negative numbers spanning 16 bits", [-40_000, 20_000], Uint16Array, -40_000],
    ["negative numbers spanning 32 bits", [-(2 ** 31), 2 ** 31 - 1], Uint32Array, -(2 ** 31)],
  ])("packs %s", (_, values, type, base) => {
    const packed = roundTripNumbers(values);
    expect(packed.data).toBeInstanceOf(type);
    expect(packed.base).toBe(base);
    expect(packed.absent).toBe(values.some((v) => Number.isNaN(v)));
  });

  it.each<[string, number[]]>([
    ["a span of 2^32 - 1 with absent values", [T, NaN, T + 0xffff_ffff]],
    ["a span of 2^32", [T, T + 2 ** 32]],
    ["a huge span", [0, 2 ** 40]],
    ["negative numbers spanning 2^32", [-(2 ** 31), 2 ** 31]],
    ["decimals of more than three places", [1, 2.5, 0.0001, NaN]],
    ["a fraction no power of ten makes whole", [1 / 3]],
    ["-0 among integers", [0, -0, 3]],
    ["-0 alone", [-0]],
    ["infinity", [1, Infinity]],
    ["minus infinity", [-Infinity, 0]],
    ["unsafe integers", [2 ** 53, 0]],
    ["the safe extremes", [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]],
  ])("keeps %s as Float64", (_, values) => {
    expect(roundTripNumbers(values).data).toBeInstanceOf(Float64Array);
  });

  it("turns a whole column to Float64 for a fraction late in it", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    values[999] = Math.PI;
    expect(roundTripNumbers(values).data).toBeInstanceOf(Float64Array);
  });

  it.each<[string, number[], number, NumberArray]>([
    ["tenths (latencies)", [12.3, 0.1, 250, NaN], 10, Uint16Array],
    ["a lone tenth", [0.1], 10, Uint8Array],
    ["halves", [1, 2.5], 10, Uint8Array],
    ["hundredths", [0.01, 1.25, 99.99], 100, Uint16Array],
    ["thousandths", [0.001, 4.125], 1000, Uint16Array],
    ["negative tenths", [-1.5, 2.5], 10, Uint8Array],
    ["tenths of epoch times", [1_700_000_000_000.5, 1_700_000_000_001.5], 10, Uint8Array],
  ])("packs %s as integers of a power of ten", (_, values, scale, type) => {
    const packed = roundTripNumbers(values);
    expect(packed.scale).toBe(scale);
    expect(packed.data).toBeInstanceOf(type);
  });

  it("gives back every value exactly, whatever the mix (seeded random columns)", () => {
    const rand = mulberry32(20261123);
    const kinds = [
      () => Math.round(rand() * 5000) / 10,
      () => Math.round((rand() - 0.5) * 1e6) / 1000,
      () => 1_700_000_000_000 + Math.floor(rand() * 3e9),
      () => rand() * 1000,
      () => (rand() < 0.2 ? NaN : Math.floor(rand() * 600)),
    ];
    for (let run = 0; run < 200; run++) {
      const picks = kinds.filter(() => rand() < 0.5);
      const values = Array.from({ length: 1 + Math.floor(rand() * 300) }, () => (picks.length === 0 ? NaN : picks[Math.floor(rand() * picks.length)]!()));
      roundTripNumbers(values);
    }
  });

  it("takes the smallest power of ten that fits every value", () => {
    expect(roundTripNumbers([1, 2, 3]).scale).toBe(1);
    expect(roundTripNumbers([1, 2.5, 3.25]).scale).toBe(100);
    // one value needing thousandths decides for the column
    const values = Array.from({ length: 500 }, (_, i) => i / 10);
    values[250] = 7.125;
    expect(roundTripNumbers(values).scale).toBe(1000);
  });

  it("keeps each width's top value apart from absent", () => {
    expect(roundTripNumbers([0, 254, NaN]).data).toEqual(Uint8Array.from([0, 254, 0xff]));
    expect(roundTripNumbers([0, 255, 1]).data).toEqual(Uint8Array.from([0, 255, 1]));
    expect(roundTripNumbers([T, T + 65_534, NaN]).data).toEqual(Uint16Array.from([0, 65_534, 0xffff]));
    expect(roundTripNumbers([T, T + 0xffff_fffe, NaN]).data).toEqual(Uint32Array.from([0, 0xffff_fffe, 0xffff_ffff]));
  });

  it("packs an all-absent or empty column in a byte each", () => {
    const packed = roundTripNumbers([NaN, NaN, NaN]);
    expect(packed).toEqual({ base: 0, scale: 1, absent: true, data: Uint8Array.from([0xff, 0xff, 0xff]) });
    const empty = roundTripNumbers([]);
    expect(empty.data).toBeInstanceOf(Uint8Array);
    expect(empty.data.length).toBe(0);
  });

  it("does not share the caller's array", () => {
    const values = Float64Array.from([0.5, 1.5]);
    const packed = packNumbers(values);
    values[0] = 9;
    expect([...unpackNumbers(packed)]).toEqual([0.5, 1.5]);
  });

  it("round-trips realistic 4,096-event columns in narrow widths", () => {
    const n = 4096;
    const t0 = Date.UTC(2026, 10, 1);
    const cases: [number[], NumberArray][] = [
      [Array.from({ length: n }, (_, i) => t0 + i * 61_000), Uint32Array], // times, a minute apart
      [Array.from({ length: n }, (_, i) => t0 + i * 15), Uint16Array], // times of a busy minute
      [Array.from({ length: n }, (_, i) => 1 + i), Uint16Array], // seqs
      [Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : (i * 37) % 997)), Uint16Array], // latencies, some absent
      [Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 500 : 200)), Uint16Array], // status codes
      [Array.from({ length: n }, (_, i) => i % 100), Uint8Array], // small counts
    ];
    for (const [values, type] of cases) expect(roundTripNumbers(values).data).toBeInstanceOf(type);
  });
});

describe("packProp", () => {
  it("round-trips both kinds of prop column", () => {
    const num = { kind: "num" as const, values: Float64Array.from([3, NaN, 7]) };
    const str = { kind: "str" as const, codes: Int32Array.from([ABSENT, 300, 2]) };
    expect(packProp(num)).toEqual({ kind: "num", values: { base: 0, scale: 1, absent: true, data: Uint8Array.from([3, 0xff, 7]) } });
    expect(packProp(str)).toEqual({ kind: "str", codes: Int16Array.from([ABSENT, 300, 2]) });
    expect(unpackProp(packProp(num))).toEqual(num);
    expect(unpackProp(packProp(str))).toEqual(str);
  });
});
