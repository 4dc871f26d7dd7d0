import { describe, expect, it } from "vitest";
import type { FunnelDefinition } from "../../../shared/product/types.ts";
import { HOUR, journey, report, T0, track } from "./fixtures.ts";

const CHECKOUT: FunnelDefinition = { name: "checkout", steps: [{ name: "view" }, { name: "cart" }, { name: "pay" }], window_hours: 24 };

const usersPerStep = (events: Parameters<typeof report>[0], funnel = CHECKOUT, over = {}) => report(events, { funnels: [funnel], ...over }).funnels[0]!.steps.map((s) => s.users);

describe("funnels", () => {
  it("needs the steps in order", () => {
    expect(usersPerStep(journey("a", [[0, "pay"], [HOUR, "cart"], [2 * HOUR, "view"]]))).toEqual([1, 0, 0]);
    expect(usersPerStep(journey("a", [[0, "cart"], [HOUR, "view"], [2 * HOUR, "pay"]]))).toEqual([1, 0, 0]);
    expect(usersPerStep(journey("a", [[0, "view"], [HOUR, "pay"], [2 * HOUR, "cart"], [3 * HOUR, "pay"]]))).toEqual([1, 1, 1]);
  });

  it("counts a user once, at the deepest step, however often they repeat steps", () => {
    const events = journey("a", [[0, "view"], [HOUR, "view"], [2 * HOUR, "cart"], [3 * HOUR, "view"], [4 * HOUR, "cart"], [5 * HOUR, "pay"], [6 * HOUR, "pay"]]);
    expect(usersPerStep(events)).toEqual([1, 1, 1]);
  });

  it("counts the last step exactly at the window's edge, not a millisecond past it", () => {
    expect(usersPerStep(journey("a", [[0, "view"], [HOUR, "cart"], [24 * HOUR, "pay"]]))).toEqual([1, 1, 1]);
    expect(usersPerStep(journey("a", [[0, "view"], [HOUR, "cart"], [24 * HOUR + 1, "pay"]]))).toEqual([1, 1, 0]);
  });

  it("restarts from a later first step when the early one has expired", () => {
    // the first view is too early for the pay; the second view starts a chain that fits
    const events = journey("a", [[0, "view"], [20 * HOUR, "view"], [21 * HOUR, "cart"], [30 * HOUR, "pay"]]);
    expect(usersPerStep(events)).toEqual([1, 1, 1]);
  });

  it("keeps an earlier chain's depth when a later start gets less far", () => {
    const events = journey("a", [[0, "view"], [HOUR, "cart"], [30 * HOUR, "view"]]);
    expect(usersPerStep(events)).toEqual([1, 1, 0]);
  });

  it("never lets one event advance two steps", () => {
    const twice: FunnelDefinition = { name: "again", steps: [{ name: "view" }, { name: "view" }, { name: "view" }], window_hours: 1 };
    expect(usersPerStep(journey("a", [[0, "view"]]), twice)).toEqual([1, 0, 0]);
    expect(usersPerStep(journey("a", [[0, "view"], [1, "view"]]), twice)).toEqual([1, 1, 0]);
    expect(usersPerStep(journey("a", [[0, "view"], [0, "view"], [0, "view"]]), twice)).toEqual([1, 1, 1]);
  });

  it("lets an event matching two different steps advance only one", () => {
    const funnel: FunnelDefinition = { name: "pro", steps: [{ name: "signup" }, { name: "signup", props: { plan: "pro" } }, { name: "pay" }], window_hours: 1 };
    expect(usersPerStep(journey("a", [[0, "signup", { plan: "pro" }], [1, "pay"]]), funnel)).toEqual([1, 0, 0]);
    expect(usersPerStep(journey("a", [[0, "signup", { plan: "pro" }], [1, "signup", { plan: "pro" }], [2, "pay"]]), funnel)).toEqual([1, 1, 1]);
    expect(usersPerStep(journey("a", [[0, "signup", { plan: "free" }], [1, "signup", { plan: "pro" }], [2, "pay"]]), funnel)).toEqual([1, 1, 1]);
  });

  it("takes events at the same ts in stored order", () => {
    expect(usersPerStep(journey("a", [[0, "view"], [0, "cart"], [0, "pay"]]))).toEqual([1, 1, 1]);
    expect(usersPerStep(journey("a", [[0, "cart"], [0, "view"], [0, "pay"]]))).toEqual([1, 0, 0]);
    // stored out of time order: time decides, not storage
    expect(usersPerStep(journey("a", [[2 * HOUR, "pay"], [HOUR, "cart"], [0, "view"]]))).toEqual([1, 1, 1]);
  });

  it("matches props as text and labels steps with them", () => {
    const funnel: FunnelDefinition = { name: "plans", steps: [{ name: "view" }, { name: "signup", props: { plan: "pro", seats: 3 } }], window_hours: 2 };
    const events = [
      ...journey("a", [[0, "view"], [HOUR, "signup", { plan: "pro", seats: "3" }]]),
      ...journey("b", [[0, "view"], [HOUR, "signup", { plan: "pro", seats: 4 }]]),
      ...journey("c", [[0, "view"], [HOUR, "signup", { plan: "pro", seats: 3 }]]),
    ];
    const [first, second] = report(events, { funnels: [funnel] }, 2).funnels[0]!.steps;
    expect(first).toEqual({ label: "view", users: 3, fromPrevious: 1, fromFirst: 1, dropOff: 0 });
    expect(second).toEqual({ label: "signup (plan = pro, seats = 3)", users: 2, fromPrevious: 2 / 3, fromFirst: 2 / 3, dropOff: 1 });
  });

  it("reads only events in the range, and several users apart", () => {
    const events = [
      ...journey("a", [[0, "view"], [HOUR, "cart"], [2 * HOUR, "pay"]]),
      ...journey("b", [[0, "view"], [HOUR, "cart"]]),
      ...journey("c", [[0, "view"]]),
      track(T0, "view"), // no user
      ...journey("d", [[HOUR, "cart"], [2 * HOUR, "pay"]]),
    ];
    const res = report(events, { funnels: [CHECKOUT] }).funnels[0]!;
    expect(res.steps.map((s) => [s.users, s.dropOff])).toEqual([
      [3, 0],
      [2, 1],
      [1, 1],
    ]);
    expect(usersPerStep(events, CHECKOUT, { range: { from: T0 + 1, to: T0 + 10 * HOUR } })).toEqual([0, 0, 0]);
  });

  it("gives NaN shares after a step nobody reached", () => {
    const steps = report(journey("a", [[0, "cart"]]), { funnels: [CHECKOUT] }).funnels[0]!.steps;
    expect(steps.map((s) => s.users)).toEqual([0, 0, 0]);
    expect(steps[0]!.fromPrevious).toBeNaN();
    expect(steps[1]!.fromPrevious).toBeNaN();
    expect(steps[1]!.fromFirst).toBeNaN();
  });

  it("gives NaN, not 100%, from previous for a first step nobody reached", () => {
    const [steps] = [report(journey("a", [[0, "other"]]), { funnels: [CHECKOUT] }).funnels[0]!.steps];
    expect(steps[0]!.users).toBe(0);
    expect(steps[0]!.fromPrevious).toBeNaN();
    expect(report(journey("a", [[0, "view"]]), { funnels: [CHECKOUT] }).funnels[0]!.steps[0]!.fromPrevious).toBe(1);
  });
});
