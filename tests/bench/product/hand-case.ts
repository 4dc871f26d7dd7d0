/**
 * A hand-made Product case small enough to work out on paper: a handful of
 * users, each there for one rule (segments, the funnel window, out-of-order
 * steps, a later second start, exposure and goal order, a custom goal, a
 * range edge). check.ts holds both the SQL and the engine to these numbers,
 * so when the two disagree on the big data, this says which one is wrong.
 */
import type { ProductSpec } from "../../../shared/product/types.ts";
import type { FigureList } from "./figures.ts";
import type { ProductRow } from "./columns.ts";

const D = 86_400_000;
const H = 3_600_000;
const M = 60_000;
/** Friday 2026-11-20 00:00 UTC: the range is the 30 days before it. */
const E = Date.UTC(2026, 10, 20);
const day = (d: number) => E - d * D;

export const HAND_SPEC: ProductSpec = {
  range: { from: day(30), to: E },
  filters: [],
  utcOffsetMinutes: 0,
  now: E,
  // exp-a is not configured: default goal, control "control"
  experiments: [{ experiment: "exp-b", goal: { name: "buy" }, control: "blue" }],
  funnels: [{ name: "abc", steps: [{ name: "a" }, { name: "b" }, { name: "c" }], window_hours: 1 }],
};

const rows: ProductRow[] = [];
const add = (user: string | undefined, ts: number, name: string, props: Omit<ProductRow, "ts" | "name" | "user"> = {}) =>
  rows.push({ ts, name, ...(user ? { user } : {}), ...props });

// segments: u1 power (12 days in W), u2 at-risk, u3 new, u4 regular, u5 previous period only, u6 at-risk with nothing in W
for (let d = 1; d <= 12; d++) add("u1", day(d) + H, d === 1 ? "feature_used" : "page_viewed", d === 1 ? { feature: "f1" } : {});
add("u1", day(40) + H, "feature_used", { feature: "f1" });
add("u2", day(45) + H, "feature_used", { feature: "f2" });
add("u2", day(20) + H, "page_viewed");
add("u2", day(15) + H, "page_viewed");
add("u3", day(3) + H, "feature_used", { feature: "f1" });
add("u3", day(2) + H, "page_viewed");
add("u4", day(35) + H, "page_viewed");
add("u4", day(10) + H, "page_viewed");
add("u4", day(2) + H, "feature_used", { feature: "f2" });
add("u4", day(2) + 2 * H, "page_viewed");
add("u5", day(50) + H, "feature_used", { feature: "f1" });
add("u6", day(29.5), "page_viewed");
add(undefined, day(1) + 5 * H, "page_viewed");

// funnel a → b → c within 1 h, all on day(5) except f8
const F = day(5);
const steps = (user: string, ...at: [string, number][]) => at.forEach(([name, t]) => add(user, t, name));
steps("f1", ["a", F], ["b", F + 10 * M], ["c", F + 20 * M]); // 3
steps("f2", ["a", F], ["c", F + 10 * M], ["b", F + 20 * M]); // 2: c came before b
steps("f3", ["a", F], ["b", F + 30 * M], ["c", F + 70 * M]); // 2: c is 70 min after a
steps("f4", ["a", F], ["b", F + 2 * H], ["a", F + 3 * H], ["b", F + 3 * H + 10 * M], ["c", F + 3 * H + 20 * M]); // 3 from the second a
steps("f5", ["b", F], ["c", F + 10 * M]); // none: no a
steps("f6", ["a", F], ["b", F + 59 * M], ["c", F + 60 * M]); // 3: exactly the window counts
steps("f7", ["a", F], ["c", F + 10 * M]); // 1: no b, so the c leads nowhere
steps("f8", ["a", day(30) - 10 * M], ["b", day(30) + 10 * M], ["c", day(30) + 20 * M]); // none: a is before the range

// experiments, all on day(4) from 03:00 except x8's first exposure
const X = day(4) + 3 * H;
const view = (user: string, t: number, experiment: string, variant?: string) => add(user, t, "experiment_viewed", { experiment, ...(variant ? { variant } : {}) });
const goal = (user: string, t: number, experiment: string, converted = true) => add(user, t, "goal_reached", { experiment, converted });
view("x1", X, "exp-a", "control"), goal("x1", X + H, "exp-a"); // control, converted
view("x2", X, "exp-a", "treat"), view("x2", X + H, "exp-a", "control"), goal("x2", X + 2 * H, "exp-a"); // treat: the first variant, converted
view("x3", X, "exp-a"), view("x3", X + H, "exp-a", "treat"), goal("x3", X + 30 * M, "exp-a"); // treat, goal before exposure
view("x4", X, "exp-a", "control"), goal("x4", X + H, "exp-a", false), goal("x4", X + 2 * H, "exp-b"); // control, not converted
view("x5", X, "exp-b", "green"), goal("x5", X + 30 * M, "exp-b"), add("x5", X - H, "buy"); // green: the default goal does not count, buy was before
view("x6", X, "exp-b", "blue"), add("x6", X + H, "buy"); // blue, converted
view("x7", X, "exp-b", "green"), add("x7", X + 2 * H, "buy"); // green, converted
view("x8", day(31), "exp-a", "control"), view("x8", X, "exp-a", "treat"), goal("x8", X + H, "exp-a"); // treat: the earlier exposure is outside the range

export const HAND_ROWS: readonly ProductRow[] = rows.sort((a, b) => a.ts - b.ts);

/** The figures worked out by hand (see the comments above for each user). */
export const HAND_FIGURES: FigureList = [
  // 21 (u) + 23 (f) + 20 (x) in range; 21 users: u1-4, u6, f1-8, x1-8
  ["events", 64], ["users", 21], ["dau", 1], ["wau", 18], ["mau", 21],
  ...([[30, 2], [20, 1], [15, 1], [12, 1], [11, 1], [10, 2], [9, 1], [8, 1], [7, 1], [6, 1], [5, 8], [4, 9], [3, 2], [2, 3], [1, 1]] as const).map(
    ([d, n]): [string, number] => [`active.daily ${new Date(day(d)).toISOString().slice(0, 10)}`, n],
  ),
  // Mondays: Oct 19 (u6, f8), Oct 26 (u2), Nov 2 (u1, u2), Nov 9 (u1, u4, f1-7), Nov 16 (u1, u3, u4, x1-8)
  ["active.weekly 2026-10-19", 2], ["active.weekly 2026-10-26", 1], ["active.weekly 2026-11-02", 2], ["active.weekly 2026-11-09", 9], ["active.weekly 2026-11-16", 11],
  ["active.monthly 2026-10-01", 3], ["active.monthly 2026-11-01", 19],
  // previous period users: u1, u2, u4, u5, x8, f8
  ["adoption f1 users", 2], ["adoption f1 share", 2 / 21], ["adoption f1 previousShare", 2 / 6],
  ["adoption f2 users", 1], ["adoption f2 share", 1 / 21], ["adoption f2 previousShare", 1 / 6],
  ["experiment exp-a control users", 2], ["experiment exp-a control conversions", 1], ["experiment exp-a control control", 1],
  ["experiment exp-a treat users", 3], ["experiment exp-a treat conversions", 2], ["experiment exp-a treat control", 0],
  ["experiment exp-b blue users", 1], ["experiment exp-b blue conversions", 1], ["experiment exp-b blue control", 1],
  ["experiment exp-b green users", 2], ["experiment exp-b green conversions", 1], ["experiment exp-b green control", 0],
  // at-risk: u2, u6, f8; new: u3, f1-7, x1-7; regular: u4, x8; events and active days are within the last 28 days
  ["segment power users", 1], ["segment power share", 1 / 21], ["segment power eventsPerActiveDay", 12 / 12], ["segment power engagement", 6],
  ["segment at-risk users", 3], ["segment at-risk share", 3 / 21], ["segment at-risk eventsPerActiveDay", 2 / 2], ["segment at-risk engagement", 1 / 3],
  ["segment new users", 15], ["segment new share", 15 / 21], ["segment new eventsPerActiveDay", 41 / 16], ["segment new engagement", 8 / 15],
  ["segment regular users", 2], ["segment regular share", 2 / 21], ["segment regular eventsPerActiveDay", 5 / 3], ["segment regular engagement", 0.75],
  ["funnel abc step 1 a users", 6], ["funnel abc step 2 b users", 5], ["funnel abc step 3 c users", 3],
];
