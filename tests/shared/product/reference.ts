/**
 * The Product view's rules written the plain way: loops over decoded event
 * objects, sets of user names, a full sort per user, every choice of a
 * funnel's first step tried. Slow and obviously right; the property test
 * holds productReport to it.
 */
import type { PropValue, StoredEvent } from "../../../shared/event.ts";
import type { Filter } from "../../../shared/query.ts";
import type { EventMatch, ExperimentResult, FeatureAdoption, FunnelResult, ProductReport, ProductSpec, SegmentResult } from "../../../shared/product/types.ts";
import { twoProportionZTest, waldInterval } from "../../../shared/product/stats.ts";
import { goalText } from "../../../shared/product/experiments.ts";
import { matchLabel } from "../../../shared/product/matchers.ts";
import { bucketOf } from "../engine/reference.ts";

const DAY = 86_400_000;
const text = (v: PropValue | undefined) => (v === undefined ? undefined : String(v));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function passes(e: StoredEvent, f: Filter): boolean {
  const t = "field" in f.dim ? (f.dim.field === "name" ? e.name : e.type) : text(e.props[f.dim.prop]);
  if ("in" in f) return t !== undefined && f.in.map(String).includes(t);
  if ("notIn" in f) return !(t !== undefined && f.notIn.map(String).includes(t));
  if ("present" in f) return (t !== undefined) === f.present;
  throw new Error("the reference takes in, notIn and present filters");
}

function matches(e: StoredEvent, m: EventMatch): boolean {
  return e.name === m.name && Object.entries(m.props ?? {}).every(([k, v]) => text(e.props[k]) === String(v));
}

/** The report, from events in stored order. */
export function referenceReport(stored: readonly StoredEvent[], spec: ProductSpec): ProductReport {
  const all = stored.map((e, order) => ({ e, order })).filter(({ e }) => e.type === "track" && spec.filters.every((f) => passes(e, f)));
  const inRange = (ts: number) => spec.range === undefined || (ts >= spec.range.from && ts < spec.range.to);
  const end = spec.range === undefined ? spec.now : Math.min(spec.now, spec.range.to);
  const userOf = (e: StoredEvent) => text(e.props["user"]);
  const ranged = all.filter(({ e }) => inRange(e.ts));
  const withUser = ranged.filter(({ e }) => userOf(e) !== undefined);
  const users = new Set(withUser.map(({ e }) => userOf(e)!));

  const series = (bucket: string) => {
    const sets = new Map<number, Set<string>>();
    for (const { e } of withUser) {
      const b = bucketOf(bucket, e.ts, spec.utcOffsetMinutes);
      if (!sets.has(b)) sets.set(b, new Set());
      sets.get(b)!.add(userOf(e)!);
    }
    const keys = [...sets.keys()].sort((a, b) => a - b);
    return { t: Float64Array.from(keys), users: Float64Array.from(keys, (k) => sets.get(k)!.size) };
  };
  const recent = (days: number) => new Set(all.filter(({ e }) => userOf(e) !== undefined && e.ts >= end - days * DAY && e.ts < end).map(({ e }) => userOf(e))).size;

  // per user, every selected event (all time) by (ts, stored order)
  const byUser = new Map<string, { e: StoredEvent; order: number }[]>();
  for (const x of all) {
    const u = userOf(x.e);
    if (u === undefined) continue;
    if (!byUser.has(u)) byUser.set(u, []);
    byUser.get(u)!.push(x);
  }
  for (const list of byUser.values()) list.sort((a, b) => a.e.ts - b.e.ts || a.order - b.order);

  return {
    events: ranged.length,
    users: users.size,
    active: { daily: series("day"), weekly: series("week"), monthly: series("month"), dau: recent(1), wau: recent(7), mau: recent(30) },
    adoption: adoption(all, spec, users.size, userOf),
    experiments: experiments(byUser, spec, inRange),
    segments: segments(byUser, users, end, spec.utcOffsetMinutes),
    funnels: funnels(byUser, spec, inRange),
  };
}

function adoption(all: { e: StoredEvent }[], spec: ProductSpec, users: number, userOf: (e: StoredEvent) => string | undefined): FeatureAdoption[] {
  const count = (from: number, to: number) => {
    const perFeature = new Map<string, Set<string>>();
    const everyone = new Set<string>();
    for (const { e } of all) {
      const u = userOf(e);
      if (u === undefined || e.ts < from || e.ts >= to) continue;
      everyone.add(u);
      const f = text(e.props["feature"]);
      if (f === undefined) continue;
      if (!perFeature.has(f)) perFeature.set(f, new Set());
      perFeature.get(f)!.add(u);
    }
    return { perFeature, everyone: everyone.size };
  };
  const now = spec.range ? count(spec.range.from, spec.range.to) : count(-Infinity, Infinity);
  const before = spec.range ? count(2 * spec.range.from - spec.range.to, spec.range.from) : null;
  const out = [...now.perFeature].map(([feature, set]) => {
    const share = set.size / users;
    const previousShare = before === null || before.everyone === 0 ? NaN : (before.perFeature.get(feature)?.size ?? 0) / before.everyone;
    const d = share - previousShare;
    return { feature, users: set.size, share, previousShare, trend: d > 0.02 ? "up" : d < -0.02 ? "down" : "flat" } as FeatureAdoption;
  });
  return out.sort((a, b) => b.users - a.users || byText(a.feature, b.feature));
}

type Journey = Map<string, { e: StoredEvent; order: number }[]>;

function experiments(byUser: Journey, spec: ProductSpec, inRange: (ts: number) => boolean): ExperimentResult[] {
  // experiment → variant → [users, conversions, earliest exposure (ts, order)]
  const arms = new Map<string, Map<string, { users: number; conversions: number; ts: number; order: number }>>();
  for (const list of byUser.values()) {
    const events = list.filter(({ e }) => inRange(e.ts));
    const seen = new Set<string>();
    for (const { e, order } of events) {
      const x = text(e.props["experiment"]);
      const v = text(e.props["variant"]);
      if (x === undefined || v === undefined || seen.has(x)) continue;
      seen.add(x);
      const setting = spec.experiments.find((s) => s.experiment === x);
      const isGoal = (g: StoredEvent) =>
        setting?.goal ? matches(g, setting.goal) : text(g.props["experiment"]) === x && text(g.props["converted"]) === "true";
      const converted = events.some(({ e: g }) => isGoal(g) && g.ts >= e.ts);
      if (!arms.has(x)) arms.set(x, new Map());
      const arm = arms.get(x)!.get(v) ?? { users: 0, conversions: 0, ts: Infinity, order: Infinity };
      arm.users++;
      if (converted) arm.conversions++;
      if (e.ts < arm.ts || (e.ts === arm.ts && order < arm.order)) Object.assign(arm, { ts: e.ts, order });
      arms.get(x)!.set(v, arm);
    }
  }
  return [...arms.keys()].sort(byText).map((x) => {
    const setting = spec.experiments.find((s) => s.experiment === x);
    const vs = arms.get(x)!;
    const earliest = [...vs].sort((a, b) => a[1].ts - b[1].ts || a[1].order - b[1].order)[0]![0];
    const control = setting?.control !== undefined && vs.has(setting.control) ? setting.control : vs.has("control") ? "control" : earliest;
    const c = vs.get(control)!;
    const rc = c.conversions / c.users;
    const names = [control, ...[...vs.keys()].filter((v) => v !== control).sort(byText)];
    const variants = names.map((v) => {
      const a = vs.get(v)!;
      const rate = a.conversions / a.users;
      const isControl = v === control;
      return {
        variant: v,
        control: isControl,
        users: a.users,
        conversions: a.conversions,
        rate,
        lift: isControl || rc === 0 ? NaN : (rate - rc) / rc,
        pValue: isControl ? NaN : twoProportionZTest(a.conversions, a.users, c.conversions, c.users).p,
        ci95: (isControl ? [NaN, NaN] : waldInterval(a.conversions, a.users, c.conversions, c.users)) as [number, number],
      };
    });
    return { experiment: x, goal: goalText(x, setting?.goal), variants, verdict: verdict(variants) };
  });
}

type Variant = ExperimentResult["variants"][number];

/**
 * The verdict rules written out again here, not imported, so that the
 * property test checks them: too small unless every variant has n ≥ 30 and
 * at least 5 expected conversions and non-conversions at the pooled rate of
 * all variants; else the smallest p below 0.05 decides; else no difference.
 */
function verdict(variants: Variant[]): ExperimentResult["verdict"] {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);
  const allUsers = variants.reduce((s, v) => s + v.users, 0);
  const pooled = variants.reduce((s, v) => s + v.conversions, 0) / allUsers;
  const short = variants.filter((v) => v.users < 30 || v.users * pooled < 5 || v.users * (1 - pooled) < 5);
  if (short.length > 0) {
    // the smallest users count such that 30 ≤ n, 5 ≤ n·p̄ and 5 ≤ n·(1 − p̄), searched for rather than solved
    let needed = 30;
    // (at a pooled rate of 0 or 1 no count will do, and the text says so instead)
    if (pooled > 0 && pooled < 1) while (needed * pooled < 5 - 1e-9 || needed * (1 - pooled) < 5 - 1e-9) needed++;
    const fewest = short.reduce((a, v) => (v.users < a.users ? v : a));
    const parts = short.map((v) => {
      const has = `"${v.variant}" (${n(v.users, "user", "users")}, ${n(v.conversions, "conversion", "conversions")})`;
      if (pooled === 0) return `${has}: more users until some convert`;
      if (pooled === 1) return `${has}: more users until some do not convert`;
      return `${has}: about ${n(needed - v.users, "more user", "more users")}`;
    });
    return {
      kind: "too-small",
      variant: fewest.variant,
      text:
        `Too small to judge: at the pooled rate of ${pct(pooled)}, every variant needs at least 30 users, ` +
        `5 expected conversions and 5 expected non-conversions for the test to hold. Short: ${parts.join("; ")}.`,
    };
  }
  const [control, ...others] = variants;
  if (others.length === 0) return { kind: "no-difference", variant: null, text: `Only "${control!.variant}" has users: nothing to compare.` };
  const significant = others.filter((v) => v.pValue < 0.05).sort((a, b) => a.pValue - b.pValue);
  if (significant.length === 0) {
    const smallest = Math.min(...others.map((v) => v.pValue));
    return { kind: "no-difference", variant: null, text: `No variant differs from "${control!.variant}" at p < 0.05 (smallest ${pText(smallest)}).` };
  }
  const best = significant[0]!; // a stable sort keeps the first listed on a tie
  const dir = best.rate > control!.rate ? "better" : "worse";
  const lift = Number.isNaN(best.lift) ? "" : `lift ${best.lift > 0 ? "+" : ""}${pct(best.lift)}, `;
  return {
    kind: dir,
    variant: best.variant,
    text: `"${best.variant}" converts ${dir} than "${control!.variant}": ${pct(best.rate)} vs ${pct(control!.rate)} (${lift}${pText(best.pValue)}).`,
  };
}

function segments(byUser: Journey, users: Set<string>, end: number, offsetMinutes: number): SegmentResult[] {
  const order = ["power", "regular", "new", "at-risk"] as const;
  const acc = new Map(order.map((s) => [s, { users: 0, score: 0, events: 0, days: 0 }]));
  for (const u of users) {
    const before = byUser.get(u)!.filter(({ e }) => e.ts < end);
    const first = before.length > 0 ? Math.min(...before.map(({ e }) => e.ts)) : Infinity;
    const inW = before.filter(({ e }) => e.ts >= end - 28 * DAY);
    const days = new Set(inW.map(({ e }) => Math.floor((e.ts + offsetMinutes * 60_000) / DAY))).size;
    const recent = before.some(({ e }) => e.ts >= end - 7 * DAY);
    const seg = first >= end - 7 * DAY ? "new" : !recent ? "at-risk" : days >= 10 ? "power" : "regular";
    const a = acc.get(seg)!;
    a.users++;
    a.score += 10 * Math.min(1, days / 20);
    a.events += inW.length;
    a.days += days;
  }
  return order.map((segment) => {
    const a = acc.get(segment)!;
    return {
      segment,
      users: a.users,
      share: a.users / users.size,
      eventsPerActiveDay: a.days > 0 ? a.events / a.days : NaN,
      engagement: a.users > 0 ? a.score / a.users : NaN,
    };
  });
}

function funnels(byUser: Journey, spec: ProductSpec, inRange: (ts: number) => boolean): FunnelResult[] {
  return spec.funnels.map((f) => {
    const reached = new Array<number>(f.steps.length).fill(0);
    for (const list of byUser.values()) {
      const events = list.filter(({ e }) => inRange(e.ts)).map(({ e }) => e);
      let deepest = 0;
      // every choice of e1; from it, the earliest match of each next step within the window is the best
      events.forEach((e1, i) => {
        if (!matches(e1, f.steps[0]!)) return;
        let k = 1;
        for (let j = i + 1; j < events.length && k < f.steps.length; j++) {
          const e = events[j]!;
          if (e.ts - e1.ts <= f.window_hours * 3.6e6 && matches(e, f.steps[k]!)) k++;
        }
        deepest = Math.max(deepest, k);
      });
      for (let k = 0; k < deepest; k++) reached[k]!++;
    }
    return {
      name: f.name,
      windowHours: f.window_hours,
      steps: f.steps.map((s, k) => ({
        label: matchLabel(s),
        users: reached[k]!,
        fromPrevious: k === 0 ? (reached[0]! > 0 ? 1 : NaN) : reached[k - 1]! > 0 ? reached[k]! / reached[k - 1]! : NaN,
        fromFirst: reached[0]! > 0 ? reached[k]! / reached[0]! : NaN,
        dropOff: k === 0 ? 0 : reached[k - 1]! - reached[k]!,
      })),
    };
  });
}
