import { describe, expect, it } from "vitest";
import { CONFIG_SCHEMAS } from "../../../shared/config.ts";
import { experimentSettings, funnelDefinitions } from "../../../shared/product/settings.ts";

const funnel = (name: string, steps = 2, window_hours = 24) => ({
  name,
  steps: Array.from({ length: steps }, (_, i) => ({ name: `step${i}` })),
  window_hours,
});

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join("."));

describe("experiments setting", () => {
  it("is a registered config key", () => {
    expect(CONFIG_SCHEMAS.experiments).toBe(experimentSettings);
    expect(CONFIG_SCHEMAS.funnels).toBe(funnelDefinitions);
  });

  it("takes goals with props and a control", () => {
    const value = [{ experiment: "checkout-button", goal: { name: "signup", props: { plan: "pro", seats: 3, trial: false } }, control: "A" }, { experiment: "b" }];
    expect(experimentSettings.parse(value)).toEqual(value);
  });

  it.each([
    ["a duplicate experiment", [{ experiment: "x" }, { experiment: "x" }], "1.experiment"],
    ["an empty name", [{ experiment: "" }], "0.experiment"],
    ["an unknown field", [{ experiment: "x", extra: 1 }], "0"],
    ["a goal without name", [{ experiment: "x", goal: { props: {} } }], "0.goal.name"],
    ["an object prop value", [{ experiment: "x", goal: { name: "s", props: { a: {} } } }], "0.goal.props.a"],
    ["a non-finite prop value", [{ experiment: "x", goal: { name: "s", props: { a: Infinity } } }], "0.goal.props.a"],
  ])("rejects %s", (_what, value, path) => {
    expect(paths(experimentSettings.safeParse(value))).toContain(path);
  });

  it("takes at most 200 experiments", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ experiment: `e${i}` }));
    expect(experimentSettings.safeParse(many(200)).success).toBe(true);
    expect(experimentSettings.safeParse(many(201)).success).toBe(false);
  });
});

describe("funnels setting", () => {
  it("takes 2 to 10 steps and windows up to 2160 hours", () => {
    expect(funnelDefinitions.safeParse([funnel("a", 2, 0.5), funnel("b", 10, 2160)]).success).toBe(true);
  });

  it.each([
    ["one step", [funnel("a", 1)], "0.steps"],
    ["eleven steps", [funnel("a", 11)], "0.steps"],
    ["a zero window", [funnel("a", 2, 0)], "0.window_hours"],
    ["a window over 90 days", [funnel("a", 2, 2161)], "0.window_hours"],
    ["a duplicate name", [funnel("a"), funnel("a")], "1.name"],
    ["an empty name", [funnel(" ")], "0.name"],
    ["a name over 200 characters", [funnel("x".repeat(201))], "0.name"],
    ["an empty step name", [{ name: "a", steps: [{ name: "" }, { name: "b" }], window_hours: 1 }], "0.steps.0.name"],
  ])("rejects %s", (_what, value, path) => {
    expect(paths(funnelDefinitions.safeParse(value))).toContain(path);
  });

  it("takes at most 50 funnels", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => funnel(`f${i}`));
    expect(funnelDefinitions.safeParse(many(50)).success).toBe(true);
    expect(funnelDefinitions.safeParse(many(51)).success).toBe(false);
  });
});
