/**
 * The Product view's answer as a flat list of named numbers, so the engine's
 * report and DuckDB's rows can be compared figure by figure and a mismatch
 * names the figure ("experiment pricing-page control conversions"), not a
 * row and column.
 */
import type { ProductReport, ProductSpec } from "../../../shared/product/types.ts";

/** [figure name, value]; NaN stands for "none" (e.g. no previous period). */
export type FigureList = [string, number][];

/** Differences below this are last-bit rounding (sums in another order), not another answer. */
const TOLERANCE = 1e-9;

export const dayKey = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The report's figures under the names productSql gives them. */
export function reportFigures(report: ProductReport, spec: ProductSpec): FigureList {
  const out: FigureList = [];
  const a = report.active;
  out.push(["events", report.events], ["users", report.users], ["dau", a.dau], ["wau", a.wau], ["mau", a.mau]);
  for (const [label, series] of [["daily", a.daily], ["weekly", a.weekly], ["monthly", a.monthly]] as const) {
    // SQL has no row for a bucket without users; a zero-filled series is the same answer
    series.t.forEach((t, i) => series.users[i]! > 0 && out.push([`active.${label} ${dayKey(t)}`, series.users[i]!]));
  }
  for (const f of report.adoption) {
    out.push([`adoption ${f.feature} users`, f.users], [`adoption ${f.feature} share`, f.share], [`adoption ${f.feature} previousShare`, f.previousShare]);
  }
  for (const e of report.experiments) {
    for (const v of e.variants) {
      const key = `experiment ${e.experiment} ${v.variant}`;
      out.push([`${key} users`, v.users], [`${key} conversions`, v.conversions], [`${key} control`, v.control ? 1 : 0]);
    }
  }
  // SQL has no row for an empty segment; the report lists all four
  for (const s of report.segments.filter((s) => s.users > 0)) {
    const key = `segment ${s.segment}`;
    out.push([`${key} users`, s.users], [`${key} share`, s.share], [`${key} eventsPerActiveDay`, s.eventsPerActiveDay], [`${key} engagement`, s.engagement]);
  }
  for (const f of report.funnels) {
    const steps = spec.funnels.find((d) => d.name === f.name)?.steps ?? [];
    f.steps.forEach((s, i) => out.push([`funnel ${f.name} step ${i + 1} ${steps[i]?.name ?? s.label} users`, s.users]));
  }
  return out;
}

/**
 * Throws on the first figure the two lists disagree on (missing from one, or
 * another value), naming it and which side said what; returns how many agree.
 */
export function agree(engine: FigureList, duck: FigureList, sides: [string, string] = ["the engine", "DuckDB"]): number {
  const [a, b] = sides;
  const theirs = new Map(duck);
  const mine = new Map(engine);
  const fail = (what: string): never => {
    throw new Error(`${a} and ${b} disagree on the Product view: ${what}`);
  };
  for (const [name, value] of engine) {
    if (!theirs.has(name)) fail(`"${name}" is ${value} in ${a}, missing from ${b}`);
    const other = theirs.get(name)!;
    if (!same(value, other)) fail(`"${name}" is ${value} in ${a}, ${other} in ${b}`);
  }
  for (const [name, value] of duck) if (!mine.has(name)) fail(`"${name}" is ${value} in ${b}, missing from ${a}`);
  return engine.length;
}

function same(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}
