import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../shared/event.ts";
import type { ExperimentSetting } from "../../../shared/product/types.ts";
import { HOUR, journey, report, T0, track } from "./fixtures.ts";

const X = "checkout-button";
const see = (variant: string, experiment = X) => ({ experiment, variant });
const convert = (experiment = X) => ({ experiment, converted: true });

/** `users` users exposed to `variant`, the first `conversions` of them converting an hour later. */
function cohort(variant: string, users: number, conversions: number, experiment = X): StoredEvent[] {
  return Array.from({ length: users }, (_, i) => {
    const user = `${experiment}-${variant}-${i}`;
    return journey(user, i < conversions ? [[0, "view", see(variant, experiment)], [HOUR, "buy", convert(experiment)]] : [[0, "view", see(variant, experiment)]]);
  }).flat();
}

const run = (events: StoredEvent[], experiments: ExperimentSetting[] = [], over = {}) => report(events, { experiments, ...over }).experiments;
const arms = (events: StoredEvent[], experiments: ExperimentSetting[] = [], over = {}) =>
  run(events, experiments, over)[0]!.variants.map((v) => [v.variant, v.users, v.conversions, v.control]);

describe("experiments", () => {
  it("puts a user in the variant of their earliest exposure", () => {
    const events = [...journey("a", [[HOUR, "view", see("B")], [0, "view", see("A")]]), ...journey("b", [[0, "view", see("B")], [0, "view", see("A")]])];
    expect(arms(events)).toEqual([
      ["A", 1, 0, true],
      ["B", 1, 0, false],
    ]);
  });

  it("needs both experiment and variant to expose", () => {
    const events = journey("a", [[0, "view", { experiment: X }], [HOUR, "view", see("B")]]);
    expect(arms(events)).toEqual([["B", 1, 0, true]]);
  });

  it("counts a goal at or after the exposure time, not before", () => {
    const before = journey("a", [[0, "buy", convert()], [HOUR, "view", see("A")]]);
    const sameTs = journey("b", [[HOUR, "buy", convert()], [HOUR, "view", see("A")]]);
    const after = journey("c", [[HOUR, "view", see("A")], [2 * HOUR, "buy", { experiment: X, converted: "true" }]]);
    const wrongExperiment = journey("d", [[HOUR, "view", see("A")], [2 * HOUR, "buy", convert("other")]]);
    const notConverted = journey("e", [[HOUR, "view", see("A")], [2 * HOUR, "buy", { experiment: X, converted: false }]]);
    expect(arms([...before, ...sameTs, ...after, ...wrongExperiment, ...notConverted])).toEqual([["A", 5, 2, true]]);
  });

  it("reads exposures and goals in the range only", () => {
    const events = journey("a", [[0, "view", see("A")], [2 * HOUR, "view", see("B")], [3 * HOUR, "buy", convert()], [10 * HOUR, "buy", convert()]]);
    expect(arms(events, [], { range: { from: T0 + HOUR, to: T0 + 5 * HOUR } })).toEqual([["B", 1, 1, true]]);
    expect(arms(events, [], { range: { from: T0 + HOUR, to: T0 + 3 * HOUR } })).toEqual([["B", 1, 0, true]]);
  });

  it("uses a custom goal: the event name and each prop, as text", () => {
    const setting = { experiment: X, goal: { name: "signup", props: { plan: "pro", seats: 2 } } };
    const events = [
      ...journey("a", [[0, "view", see("A")], [HOUR, "signup", { plan: "pro", seats: "2" }]]),
      ...journey("b", [[0, "view", see("A")], [HOUR, "signup", { plan: "free", seats: 2 }]]),
      ...journey("c", [[0, "view", see("A")], [HOUR, "buy", convert()]]),
      ...journey("d", [[0, "view", see("A")], [HOUR, "signup", { plan: "pro", seats: 2, experiment: "other" }]]),
    ];
    const [res] = run(events, [setting]);
    expect(res!.variants[0]!.conversions).toBe(2);
    expect(res!.goal).toBe('"signup" with plan = pro and seats = 2');
    expect(run(events)[0]!.goal).toBe('converted = true on "checkout-button"');
  });

  it("chooses the control: the setting's when it has users, else 'control', else the earliest exposure", () => {
    const events = [...journey("a", [[2 * HOUR, "view", see("control")]]), ...journey("b", [[HOUR, "view", see("B")]]), ...journey("c", [[0, "view", see("C")]])];
    const controlOf = (settings: ExperimentSetting[], evs = events) => run(evs, settings)[0]!.variants.find((v) => v.control)!.variant;
    expect(controlOf([{ experiment: X, control: "B" }])).toBe("B");
    expect(controlOf([{ experiment: X, control: "nobody" }])).toBe("control");
    expect(controlOf([])).toBe("control");
    const noControl = events.filter((e) => e.props["variant"] !== "control");
    expect(controlOf([], noControl)).toBe("C");
    // the same ts: stored order
    expect(controlOf([], [...journey("x", [[0, "view", see("Z")]]), ...journey("y", [[0, "view", see("Y")]])])).toBe("Z");
  });

  it("lists the control first, then variants by name, and experiments by name", () => {
    const events = [...cohort("b", 1, 0, "zeta"), ...cohort("control", 1, 0, "zeta"), ...cohort("a", 1, 0, "zeta"), ...cohort("x", 1, 0, "alpha")];
    const res = run(events);
    expect(res.map((e) => e.experiment)).toEqual(["alpha", "zeta"]);
    expect(res[1]!.variants.map((v) => v.variant)).toEqual(["control", "a", "b"]);
  });

  it("computes rate, lift, p-value and interval against the control", () => {
    const [res] = run([...cohort("control", 100, 50), ...cohort("B", 100, 60)]);
    const [c, b] = res!.variants;
    expect(c).toMatchObject({ rate: 0.5, control: true });
    expect(c!.lift).toBeNaN();
    expect(c!.pValue).toBeNaN();
    expect(b!.rate).toBe(0.6);
    expect(b!.lift).toBeCloseTo(0.2, 12);
    expect(b!.pValue).toBeCloseTo(0.15522, 4); // z = 1.421338, see stats.test.ts
    expect(b!.ci95[0]).toBeCloseTo(-0.03719748, 8);
    expect(b!.ci95[1]).toBeCloseTo(0.23719748, 8);
    expect(res!.verdict).toMatchObject({ kind: "no-difference", variant: null });
  });

  it("gives a NaN lift when the control never converts", () => {
    const [res] = run([...cohort("control", 10, 0), ...cohort("B", 10, 3)]);
    expect(res!.variants[1]!.lift).toBeNaN();
  });

  it("calls a significant winner better and a significant loser worse", () => {
    const better = run([...cohort("control", 200, 20), ...cohort("B", 200, 50), ...cohort("C", 200, 24)])[0]!.verdict;
    expect(better.kind).toBe("better");
    expect(better.variant).toBe("B");
    expect(better.text).toContain('"B" converts better than "control"');
    expect(better.text).toContain("lift +150.0%");
    const worse = run([...cohort("control", 200, 50), ...cohort("B", 200, 20)])[0]!.verdict;
    expect(worse).toMatchObject({ kind: "worse", variant: "B" });
  });

  it("is too small below 30 users, or below 5 expected conversions or non-conversions at the pooled rate", () => {
    expect(run([...cohort("control", 30, 5), ...cohort("B", 30, 25)])[0]!.verdict.kind).not.toBe("too-small");
    const fewUsers = run([...cohort("control", 200, 20), ...cohort("B", 29, 10)])[0]!.verdict;
    expect(fewUsers).toMatchObject({ kind: "too-small", variant: "B" });
    // pooled 30 / 229 ≈ 13.1%: 5 expected conversions take 39 users
    expect(fewUsers.text).toContain('"B" (29 users, 10 conversions): about 10 more users');
    // pooled 6 / 400 = 1.5%: 200 × 1.5% = 3 expected conversions, 334 users needed
    const rare = run([...cohort("control", 200, 4), ...cohort("B", 200, 2)])[0]!.verdict;
    expect(rare).toMatchObject({ kind: "too-small", variant: "control" });
    expect(rare.text).toContain('"control" (200 users, 4 conversions): about 134 more users; "B" (200 users, 2 conversions): about 134 more users');
    // pooled 56 / 60: 40 × (1 − 0.933) ≈ 2.7 expected non-conversions, 75 users needed
    const fewNon = run([...cohort("control", 20, 20), ...cohort("B", 40, 36)])[0]!.verdict;
    expect(fewNon).toMatchObject({ kind: "too-small", variant: "control" });
    expect(fewNon.text).toContain('"B" (40 users, 36 conversions): about 35 more users');
    const nobody = run([...cohort("control", 200, 0), ...cohort("B", 40, 0)])[0]!.verdict;
    expect(nobody).toMatchObject({ kind: "too-small", variant: "B" });
    expect(nobody.text).toContain('"B" (40 users, 0 conversions): more users until some convert');
  });

  it("flags a variant that breaks conversion, though it has no conversions of its own", () => {
    const broken = run([...cohort("control", 2000, 200), ...cohort("B", 2000, 0)])[0]!.verdict;
    expect(broken).toMatchObject({ kind: "worse", variant: "B" });
    expect(broken.text).toContain("p < 0.001");
    // a control that never converts, next to a variant that does, is judged too
    expect(run([...cohort("control", 200, 0), ...cohort("B", 200, 30)])[0]!.verdict).toMatchObject({ kind: "better", variant: "B" });
  });

  it("compares users as text: the numeric 7 and the text \"7\" are one user", () => {
    const events = [track(T0, "view", { user: 7, ...see("A") }), track(T0 + 1, "view", { user: "7", ...see("B") })];
    // one event per block: a numeric user column in one, a text one in the other
    const res = report(events, {}, 1).experiments[0]!.variants;
    expect(res.map((v) => [v.variant, v.users])).toEqual([["A", 1]]);
  });
});
