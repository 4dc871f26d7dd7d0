/**
 * The Prometheus text exposition format, version 0.0.4: metrics built up
 * series by series, then rendered with their HELP and TYPE lines, escaped
 * label values and one line per series. Each metric fixes its label names, and
 * adding to a series already there sums into it, so the text can never hold a
 * series twice. Pure: no I/O.
 */

/** The Content-Type Prometheus expects for this format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value as Go's ParseFloat reads it. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

abstract class Metric<S> {
  protected readonly series = new Map<string, { values: readonly string[]; sample: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    // "le" belongs to histogram buckets, and names starting with __ to Prometheus itself
    for (const l of labelNames) if (!LABEL_NAME.test(l) || l.startsWith("__") || l === "le") throw new Error(`invalid label name ${l}`);
  }

  abstract readonly type: "counter" | "gauge" | "histogram";

  protected entry(values: readonly string[], empty: () => S): S {
    if (values.length !== this.labelNames.length) throw new Error(`${this.name} takes ${this.labelNames.length} label values`);
    const key = JSON.stringify(values);
    let found = this.series.get(key);
    if (!found) this.series.set(key, (found = { values, sample: empty() }));
    return found.sample;
  }

  protected labelText(values: readonly string[], extra = ""): string {
    const pairs = this.labelNames.map((l, i) => `${l}="${escapeLabelValue(values[i]!)}"`);
    if (extra) pairs.push(extra);
    return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
  }

  protected abstract lines(values: readonly string[], sample: S): string[];

  /** HELP, TYPE, then every series in a stable order. */
  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    const keys = [...this.series.keys()].sort();
    for (const key of keys) {
      const { values, sample } = this.series.get(key)!;
      out.push(...this.lines(values, sample));
    }
    return out.join("\n") + "\n";
  }
}

/** A counter; its name must end in `_total`. */
export class Counter extends Metric<{ value: number }> {
  readonly type = "counter";

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames);
    if (!name.endsWith("_total")) throw new Error(`counter ${name} must end in _total`);
  }

  /** Adds to a series, creating it at 0 first: a series may show 0. */
  add(values: readonly string[], value: number): void {
    this.entry(values, () => ({ value: 0 })).value += value;
  }

  protected lines(values: readonly string[], sample: { value: number }): string[] {
    return [`${this.name}${this.labelText(values)} ${formatValue(sample.value)}`];
  }
}

/** A gauge: setting a series again replaces its value. */
export class Gauge extends Metric<{ value: number }> {
  readonly type = "gauge";

  set(values: readonly string[], value: number): void {
    this.entry(values, () => ({ value: 0 })).value = value;
  }

  protected lines(values: readonly string[], sample: { value: number }): string[] {
    return [`${this.name}${this.labelText(values)} ${formatValue(sample.value)}`];
  }
}

interface HistogramSample {
  buckets: number[];
  count: number;
  sum: number;
}

/** A histogram with fixed upper bounds; `+Inf` is implied and equals the count. */
export class Histogram extends Metric<HistogramSample> {
  readonly type = "histogram";

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames);
    for (let i = 1; i < bounds.length; i++) if (!(bounds[i]! > bounds[i - 1]!)) throw new Error("bounds must increase");
  }

  /** Adds aggregated observations: cumulative counts per bound, their count and sum. */
  add(values: readonly string[], buckets: readonly number[], count: number, sum: number): void {
    if (buckets.length !== this.bounds.length) throw new Error(`${this.name} has ${this.bounds.length} bounds`);
    const s = this.entry(values, () => ({ buckets: this.bounds.map(() => 0), count: 0, sum: 0 }));
    buckets.forEach((b, i) => (s.buckets[i]! += b));
    s.count += count;
    s.sum += sum;
  }

  protected lines(values: readonly string[], s: HistogramSample): string[] {
    return [
      ...this.bounds.map((b, i) => `${this.name}_bucket${this.labelText(values, `le="${formatValue(b)}"`)} ${formatValue(s.buckets[i]!)}`),
      `${this.name}_bucket${this.labelText(values, 'le="+Inf"')} ${formatValue(s.count)}`,
      `${this.name}_sum${this.labelText(values)} ${formatValue(s.sum)}`,
      `${this.name}_count${this.labelText(values)} ${formatValue(s.count)}`,
    ];
  }
}

/** Any metric this module makes. */
export type AnyMetric = Counter | Gauge | Histogram;

/** The exposition text of metrics, in the order given. */
export function renderMetrics(metrics: readonly AnyMetric[]): string {
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.name)) throw new Error(`metric ${m.name} given twice`);
    names.add(m.name);
  }
  return metrics.map((m) => m.render()).join("");
}
