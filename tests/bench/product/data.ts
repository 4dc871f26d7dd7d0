/**
 * Synthetic `track` events for the Product bench, from a seeded generator so
 * every run and both systems see the same rows. Users follow a heavy tail (a
 * few power users, many who come once or twice), arrive and churn over the
 * 60 days, adopt features by popularity, go through the onboarding and
 * checkout funnels (some out of order, some too slowly) and are exposed to
 * the experiments with the odd messy case (a second variant, a goal before
 * exposure). The view's range is the last 30 days, so adoption has a previous
 * period and "first seen" reaches before the range.
 */
import { ABSENT, encode, newDictionary, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import { mulberry32 } from "../../../shared/prng.ts";
import { emptyColumns, PROPS, toBlocks, type ProductColumns } from "./columns.ts";
import { CHECKOUT, DAY_MS, EXPERIMENT_SETTINGS, EXPERIMENTS, EXPOSURE_EVENT, GOAL_EVENT, ONBOARDING, type ExperimentPlan } from "./spec.ts";

/** The data ends here, so results never depend on the clock. */
export const END_MS = Date.UTC(2026, 10, 20);
const DAYS = 60;
const START_MS = END_MS - DAYS * DAY_MS;
/** Generated times stay below this, leaving room to make a user's times distinct by nudging ties 1 ms apart. */
const LAST_MS = END_MS - 60_000;
const MIN = 60_000;
const HOUR = 3_600_000;
/** Heaviest user, in units of the lightest: caps the tail so one user cannot hold a block. */
const MAX_WEIGHT = 400;

const FEATURES = [
  "dashboards", "reports", "alerts", "exports", "search", "sharing", "comments", "api-keys", "webhooks", "templates",
  "imports", "integrations", "notifications", "billing", "roles", "snapshots", "audit-log", "sso", "themes", "mobile-app",
];

/** An experiment of EXPERIMENTS with its name, variants and custom goal (if any) as dictionary codes. */
interface EncodedPlan extends Omit<ExperimentPlan, "variants"> {
  code: number;
  variants: number[];
  goal: number | null;
}

export interface ProductData {
  blocks: ColumnBlock[];
  dict: Dictionary;
  columns: ProductColumns;
  /** The view's range: the last 30 days, `to` exclusive. */
  range: { from: number; to: number };
}

/** `n` track events from `users` users, deterministic for a given `seed`. */
export function productData(n = 1_000_000, users = 100_000, seed = 7): ProductData {
  const rand = mulberry32(seed);
  const dict = newDictionary();
  const code = (s: string) => encode(dict, s);
  const [signup, profile, project, invite] = ONBOARDING.map(code) as [number, number, number, number];
  const [cart, checkout, purchase] = CHECKOUT.map(code) as [number, number, number];
  const [pageView, featureUsed, search, share, exposure, goal] = ["page_viewed", "feature_used", "search_performed", "item_shared", EXPOSURE_EVENT, GOAL_EVENT].map(code) as [
    number, number, number, number, number, number,
  ];
  const features = FEATURES.map(code);
  const [yes, no] = [code("true"), code("false")];
  const experiments = EXPERIMENTS.map((e): EncodedPlan => {
    const goal = EXPERIMENT_SETTINGS.find((s) => s.experiment === e.experiment)?.goal;
    return { ...e, code: code(e.experiment), variants: e.variants.map(code), goal: goal ? code(goal.name) : null };
  });

  const budgets = userBudgets(n, users, rand);
  const most = budgets.reduce((a, b) => Math.max(a, b), 0);
  const out = emptyColumns(n);
  let written = 0;
  // one user's events, gathered here and sorted before they join the rest
  const s = emptyColumns(most);
  let count = 0;
  let budget = 0;
  let user = ABSENT;
  const emit = (t: number, name: number, props: { feature?: number; experiment?: number; variant?: number; converted?: number; anonymous?: boolean } = {}) => {
    // what would fall outside the data is not sent at all, rather than piled up at its edges
    if (count >= budget || t < START_MS || t > LAST_MS) return;
    s.ts[count] = Math.floor(t);
    s.name[count] = name;
    s.user[count] = props.anonymous ? ABSENT : user;
    s.feature[count] = props.feature ?? ABSENT;
    s.experiment[count] = props.experiment ?? ABSENT;
    s.variant[count] = props.variant ?? ABSENT;
    s.converted[count] = props.converted ?? ABSENT;
    count++;
  };

  /** Exposure at `t` to a variant, a goal after it at the variant's rate, and now and then the messy cases the rules settle. */
  const expose = (plan: EncodedPlan, t: number) => {
    const v = Math.floor(rand() * plan.variants.length);
    const experiment = plan.code;
    emit(t, exposure, { experiment, variant: plan.variants[v]! });
    const u = rand();
    // an exposure without a variant decides nothing; a later one to another variant is not the user's variant
    if (u < 0.02) emit(t - rand() * DAY_MS, exposure, { experiment });
    else if (u < 0.05) emit(t + rand() * 5 * DAY_MS, exposure, { experiment, variant: plan.variants[(v + 1) % plan.variants.length]! });
    const goalAt = (at: number, withVariant: boolean) =>
      plan.goal !== null
        ? emit(at, plan.goal)
        : emit(at, goal, { experiment, converted: yes, ...(withVariant ? { variant: plan.variants[v]! } : {}) });
    // a goal reached before exposure does not count
    if (rand() < 0.04) goalAt(t - MIN - rand() * 2 * DAY_MS, false);
    if (rand() < plan.rates[v]!) goalAt(t + MIN + rand() * 4 * DAY_MS, rand() < 0.5);
    else if (plan.goal === null && rand() < 0.3) emit(t + rand() * 4 * DAY_MS, goal, { experiment, converted: no });
  };

  for (let i = 0; i < users; i++) {
    budget = budgets[i]!;
    if (budget === 0) continue;
    count = 0;
    user = code(`user-${String(i).padStart(6, "0")}`);
    const isNew = rand() < 0.55;
    const arrival = isNew ? START_MS + rand() * (LAST_MS - HOUR - START_MS) : START_MS;
    const churns = rand() < 0.35;
    const leave = Math.min(LAST_MS, Math.max(arrival + HOUR, churns ? arrival - Math.log(1 - rand()) * 15 * DAY_MS : END_MS));
    const engaged = Math.min(1, 0.25 + Math.log(budget) / 6);
    const adopted = features.filter((_, f) => rand() < (0.9 / (f + 1) ** 0.7) * engaged);

    if (isNew) {
      emit(arrival, signup);
      if (rand() < 0.75) {
        // now and then the profile waits past the 72 h window
        const tp = arrival + (rand() < 0.12 ? 3.2 * DAY_MS + rand() * 4 * DAY_MS : MIN + rand() * 2 * HOUR);
        emit(tp, profile);
        if (rand() < 0.65) {
          // some create their project before completing the profile: out of order
          const tq = rand() < 0.06 ? arrival + rand() * (tp - arrival) : tp + 10 * MIN + rand() * 30 * HOUR;
          emit(tq, project);
          if (rand() < 0.5) emit(Math.max(tp, tq) + HOUR + rand() * 48 * HOUR, invite);
        }
      }
      // signing up again later and getting further: the deeper start counts
      if (rand() < 0.08) {
        const again = arrival + 4 * DAY_MS + rand() * 8 * DAY_MS;
        emit(again, signup);
        emit(again + 5 * MIN + rand() * HOUR, profile);
        if (rand() < 0.5) emit(again + 2 * HOUR + rand() * 10 * HOUR, project);
      }
    }
    for (const plan of experiments) {
      const start = START_MS + plan.startDay * DAY_MS;
      if (plan.audience === "new") {
        if (isNew && arrival >= start && rand() < plan.exposed) expose(plan, arrival + 2_000 + rand() * 5_000);
      } else if (leave > start && rand() < plan.exposed) {
        const from = Math.max(arrival, start);
        expose(plan, from + rand() * (leave - from));
      }
    }

    while (count < budget) {
      let t = arrival + rand() * (leave - arrival);
      const length = 1 + Math.floor(-Math.log(1 - rand()) * 4);
      for (let k = 0; k < length && count < budget; k++) {
        t += 5_000 + rand() * 4 * MIN;
        const r = rand();
        if (r < 0.33) emit(t, pageView, { anonymous: rand() < 0.01 });
        else if (r < 0.63 && adopted.length > 0) emit(t, featureUsed, { feature: adopted[Math.floor(rand() * adopted.length)]! });
        else if (r < 0.75) emit(t, search);
        else if (r < 0.8) emit(t, share);
        else if (r < 0.97) {
          emit(t, cart);
          if (rand() < 0.45) {
            emit((t += 20_000 + rand() * 10 * MIN), checkout);
            // a purchase an hour and a half later is outside the checkout window
            if (rand() < 0.6) emit((t += rand() < 0.1 ? 1.5 * HOUR + rand() * 24 * HOUR : 10_000 + rand() * 15 * MIN), purchase);
          }
        } else {
          // checkout before the cart: the cart does not lead to it
          emit(t, checkout);
          emit((t += 30_000), cart);
          emit((t += 30_000), purchase);
        }
      }
    }
    written = appendSorted(s, count, out, written);
  }
  const columns = sortByTime(out);
  return { blocks: toBlocks(columns), dict, columns, range: { from: END_MS - 30 * DAY_MS, to: END_MS } };
}

/** Events per user summing to `n`: Pareto weights (α = 1.3), capped, scaled, remainders handed out at random. */
function userBudgets(n: number, users: number, rand: () => number): Int32Array {
  const weights = Float64Array.from({ length: users }, () => Math.min(MAX_WEIGHT, (1 - rand()) ** (-1 / 1.3)));
  const scale = n / weights.reduce((a, b) => a + b, 0);
  const budgets = Int32Array.from(weights, (w) => Math.floor(w * scale));
  let left = n - budgets.reduce((a, b) => a + b, 0);
  while (left-- > 0) budgets[Math.floor(rand() * users)]!++;
  return budgets;
}

/** Copies one user's `count` events into `out` at `at` in time order, ties nudged 1 ms apart; returns the next free row. */
function appendSorted(s: ProductColumns, count: number, out: ProductColumns, at: number): number {
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => s.ts[a]! - s.ts[b]!);
  let previous = -Infinity;
  for (const i of order) {
    const t = Math.max(s.ts[i]!, previous + 1);
    out.ts[at] = previous = t;
    out.name[at] = s.name[i]!;
    for (const p of PROPS) out[p][at] = s[p][i]!;
    at++;
  }
  return at;
}

/** All events in time order, as the store holds them (seq follows arrival, which follows time). */
function sortByTime(c: ProductColumns): ProductColumns {
  const n = c.ts.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => c.ts[a]! - c.ts[b]! || a - b);
  const sorted = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    sorted.ts[i] = c.ts[j]!;
    sorted.name[i] = c.name[j]!;
    for (const p of PROPS) sorted[p][i] = c[p][j]!;
  }
  return sorted;
}
