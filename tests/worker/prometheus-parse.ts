// A strict parser of the Prometheus text exposition format 0.0.4, for tests:
// it throws on anything a scraper would reject or a careful exporter would not
// write. HELP and TYPE come once each, before their family's samples; a
// family's lines are contiguous; metric and label names, label escaping and
// float syntax are checked; no series appears twice; counters end in _total
// and are not negative; each histogram series has increasing bounds,
// non-decreasing cumulative counts, a +Inf bucket equal to _count, and _sum.

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  /** The sample's own name, e.g. `x_bucket` for histogram `x`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

export class ExpositionError extends Error {}

function fail(lineNo: number, message: string): never {
  throw new ExpositionError(`line ${lineNo}: ${message}`);
}

function parseFloatStrict(text: string, lineNo: number): number {
  if (text === "NaN") return NaN;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (!FLOAT.test(text)) fail(lineNo, `not a float: ${JSON.stringify(text)}`);
  return Number(text);
}

function unescapeHelp(text: string, lineNo: number): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    return fail(lineNo, `bad escape in HELP: \\${c}`);
  });
}

/** Parses `{a="x",b="y"}` at the start of `rest`; returns the labels and what follows. */
function parseLabels(rest: string, lineNo: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let at = 1; // past "{"
  for (;;) {
    if (rest[at] === "}") return { labels, rest: rest.slice(at + 1) };
    const name = LABEL_NAME.exec(rest.slice(at))?.[0];
    if (!name) fail(lineNo, `bad label name at ${JSON.stringify(rest.slice(at, at + 20))}`);
    if (name.startsWith("__")) fail(lineNo, `reserved label name ${name}`);
    if (name in labels) fail(lineNo, `label ${name} given twice`);
    at += name.length;
    if (rest.slice(at, at + 2) !== '="') fail(lineNo, `expected ="" after label ${name}`);
    at += 2;
    let value = "";
    for (;;) {
      const c = rest[at];
      if (c === undefined) fail(lineNo, `unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === "\\") {
        const e = rest[at + 1];
        if (e === "\\") value += "\\";
        else if (e === '"') value += '"';
        else if (e === "n") value += "\n";
        else fail(lineNo, `bad escape \\${e ?? ""} in label ${name}`);
        at += 2;
      } else {
        value += c;
        at++;
      }
    }
    labels[name] = value;
    at++; // past the closing quote
    if (rest[at] === ",") at++;
    else if (rest[at] !== "}") fail(lineNo, `expected , or } after label ${name}`);
  }
}

/** The family a sample name belongs to, given the families typed so far. */
function familyOf(sampleName: string, families: Map<string, MetricFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (families.get(base)?.type === "histogram") return base;
    }
  }
  return sampleName;
}

const seriesKey = (name: string, labels: Record<string, string>) =>
  name + JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Parses an exposition text strictly; throws ExpositionError naming the line. */
export function parseExposition(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith("\n")) throw new ExpositionError("the last line must end with a line feed");
  const families = new Map<string, MetricFamily>();
  const done = new Set<string>(); // families whose lines have ended
  const seen = new Set<string>();
  const declared = new Map<string, { help: boolean; type: boolean }>();
  let current: string | undefined;

  const enter = (name: string, lineNo: number): MetricFamily => {
    if (current !== name) {
      if (done.has(name)) fail(lineNo, `lines of ${name} are not contiguous`);
      if (current !== undefined) done.add(current);
      current = name;
    }
    let f = families.get(name);
    if (!f) {
      families.set(name, (f = { name, type: "untyped", help: "", samples: [] }));
      declared.set(name, { help: false, type: false });
    }
    return f;
  };

  const lines = text.split("\n").slice(0, -1);
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest = ""] = m as unknown as [string, string, string, string | undefined];
      if (METRIC_NAME.exec(name)?.[0] !== name) fail(lineNo, `bad metric name ${name}`);
      const f = enter(name, lineNo);
      const d = declared.get(name)!;
      if (f.samples.length > 0) fail(lineNo, `${kind} for ${name} after its samples`);
      if (kind === "HELP") {
        if (d.help) fail(lineNo, `second HELP for ${name}`);
        d.help = true;
        f.help = unescapeHelp(rest, lineNo);
      } else {
        if (d.type) fail(lineNo, `second TYPE for ${name}`);
        if (!TYPES.has(rest as MetricType)) fail(lineNo, `unknown type ${JSON.stringify(rest)}`);
        d.type = true;
        f.type = rest as MetricType;
      }
      return;
    }
    const name = METRIC_NAME.exec(line)?.[0];
    if (!name) fail(lineNo, `bad sample line ${JSON.stringify(line.slice(0, 40))}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, lineNo));
    const parts = rest.trim().split(/[ \t]+/);
    if (!/^[ \t]/.test(rest) || parts.length < 1 || parts.length > 2) fail(lineNo, `expected a value (and optional timestamp) after ${name}`);
    const value = parseFloatStrict(parts[0]!, lineNo);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) fail(lineNo, `bad timestamp ${parts[1]}`);
    const key = seriesKey(name, labels);
    if (seen.has(key)) fail(lineNo, `duplicate series ${name}${JSON.stringify(labels)}`);
    seen.add(key);
    const f = enter(familyOf(name, families), lineNo);
    if (f.type === "histogram" && name === f.name) fail(lineNo, `histogram ${name} has no plain samples`);
    if (f.type === "histogram" && name.endsWith("_bucket") !== ("le" in labels)) fail(lineNo, `le belongs on ${f.name}_bucket only`);
    f.samples.push({ name, labels, value });
  });

  for (const f of families.values()) checkFamily(f, declared.get(f.name)!);
  return families;
}

function checkFamily(f: MetricFamily, declared: { help: boolean; type: boolean }): void {
  const where = `metric ${f.name}`;
  // stricter than Prometheus, which reads untyped samples: Tally's output types and documents every metric
  if (!declared.type) throw new ExpositionError(`${where} has no TYPE line`);
  if (!declared.help) throw new ExpositionError(`${where} has no HELP line`);
  if (f.type === "counter") {
    if (!f.name.endsWith("_total")) throw new ExpositionError(`counter ${f.name} must end in _total`);
    for (const s of f.samples) if (!(s.value >= 0)) throw new ExpositionError(`${where} has a negative or NaN value`);
  }
  if (f.type === "histogram") checkHistogram(f);
}

function checkHistogram(f: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey("", rest);
    let h = series.get(key);
    if (!h) series.set(key, (h = { buckets: [] }));
    if (s.name === `${f.name}_bucket`) h.buckets.push([parseFloatStrict(le!, 0), s.value]);
    else if (s.name === `${f.name}_sum`) h.sum = s.value;
    else if (s.name === `${f.name}_count`) h.count = s.value;
  }
  for (const [key, h] of series) {
    const where = `histogram ${f.name}${key}`;
    if (h.sum === undefined || h.count === undefined) throw new ExpositionError(`${where} lacks _sum or _count`);
    const last = h.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new ExpositionError(`${where} lacks a final +Inf bucket`);
    if (last[1] !== h.count) throw new ExpositionError(`${where}: +Inf bucket ${last[1]} is not _count ${h.count}`);
    for (let i = 1; i < h.buckets.length; i++) {
      if (!(h.buckets[i]![0] > h.buckets[i - 1]![0])) throw new ExpositionError(`${where}: bucket bounds do not increase`);
      if (h.buckets[i]![1] < h.buckets[i - 1]![1]) throw new ExpositionError(`${where}: cumulative counts decrease`);
    }
  }
}

/** The value of the one sample with exactly these labels, or undefined. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): number | undefined {
  const key = seriesKey(name, labels);
  for (const f of families.values()) for (const s of f.samples) if (seriesKey(s.name, s.labels) === key) return s.value;
  return undefined;
}
