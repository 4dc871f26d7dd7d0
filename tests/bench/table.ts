/**
 * The one result shape every bench section reports, and the table it prints
 * as. A figure is compared with a baseline (the same work done by a reference:
 * a bare insert, DuckDB) on the same machine in the same run, so the target is
 * a ratio, not a number that only holds on one machine.
 */

export interface Figure {
  /** What was measured, e.g. "ingest, events/s (median of 3)". */
  figure: string;
  value: number;
  /** Printed after value and baseline, e.g. "ms"; none for plain rates. */
  unit?: string;
  /** The same measure on the baseline; undefined when there is none. */
  baseline?: number;
  /** Lowest acceptable value / baseline, for higher-is-better figures (rates), e.g. 0.8. */
  minRatio?: number;
  /** Highest acceptable value / baseline, for lower-is-better figures (times), e.g. 1.0. */
  maxRatio?: number;
  /** Digits after the decimal point for value and baseline. */
  digits?: number;
}

export interface Section {
  title: string;
  run(): Promise<Figure[]>;
}

const HEADERS = ["figure", "value", "baseline", "ratio", "target"];

function num(n: number, digits: number): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratioOf(f: Figure): number | undefined {
  return f.baseline === undefined || f.baseline === 0 ? undefined : f.value / f.baseline;
}

/** Whether a figure meets its target; figures without one always pass. */
export function passes(f: Figure): boolean {
  if (f.minRatio === undefined && f.maxRatio === undefined) return true;
  const ratio = ratioOf(f);
  if (ratio === undefined) return false;
  return (f.minRatio === undefined || ratio >= f.minRatio) && (f.maxRatio === undefined || ratio <= f.maxRatio);
}

function targetText(f: Figure): string {
  const bounds = [f.minRatio === undefined ? "" : `≥ ${f.minRatio}x`, f.maxRatio === undefined ? "" : `≤ ${f.maxRatio}x`].filter(Boolean);
  return bounds.length === 0 ? "" : `${bounds.join(", ")} ${passes(f) ? "PASS" : "MISS"}`;
}

function cells(f: Figure): string[] {
  const digits = f.digits ?? 0;
  const unit = f.unit ? ` ${f.unit}` : "";
  const ratio = ratioOf(f);
  return [
    f.figure,
    num(f.value, digits) + unit,
    f.baseline === undefined ? "" : num(f.baseline, digits) + unit,
    ratio === undefined ? "" : `${ratio.toFixed(2)}x`,
    targetText(f),
  ];
}

/** A plain-text table: one block per section, columns padded to fit. */
export function formatTable(sections: { title: string; figures: Figure[] }[]): string {
  const rows = sections.flatMap((s) => s.figures.map(cells));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [line(HEADERS), rule];
  for (const s of sections) {
    out.push(`[${s.title}]`);
    for (const f of s.figures) out.push(line(cells(f)));
  }
  return out.join("\n");
}
