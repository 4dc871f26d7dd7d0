// The funnel and experiment forms' model: stored settings as drafts and back,
// validation with the shared schemas whose messages name the field (funnel,
// step, what), a prop without its value caught before the schema, and the
// edge's 400 issues placed on the same fields.
import { describe, expect, it } from "vitest";
import {
  experimentDraft,
  experimentErrors,
  funnelDraft,
  funnelErrors,
  issuePath,
  matchText,
  newExperimentDraft,
  newFunnelDraft,
  stepDraft,
  validateExperiments,
  validateFunnels,
  type FunnelDraft,
} from "../../app/src/views/product-form.ts";

const CHECKOUT = { name: "Checkout", steps: [{ name: "cart" }, { name: "paid", props: { plan: "pro", seats: 3 } }], window_hours: 24 };

function filled(): FunnelDraft {
  const d = newFunnelDraft();
  d.name = "Signup";
  d.steps[0]!.name = "visit";
  d.steps[1]!.name = "signup";
  return d;
}

describe("funnel drafts", () => {
  it("round-trip a stored funnel, keeping props the form shows no field for", () => {
    const d = funnelDraft(CHECKOUT);
    expect(d.steps[1]).toMatchObject({ name: "paid", prop: "plan", value: "pro", extra: { seats: 3 } });
    expect(validateFunnels([d])).toEqual({ ok: true, value: [CHECKOUT] });
  });

  it("store a new funnel with its window as a number and an optional prop as text", () => {
    const d = filled();
    d.window_hours = "1.5";
    d.steps[1]!.prop = "status";
    d.steps[1]!.value = "200";
    expect(validateFunnels([d])).toEqual({ ok: true, value: [{ name: "Signup", steps: [{ name: "visit" }, { name: "signup", props: { status: "200" } }], window_hours: 1.5 }] });
  });

  it("name the funnel, step and field of each problem", () => {
    const d = filled();
    d.window_hours = "soon";
    d.steps[1]!.name = "";
    const checked = validateFunnels([d]);
    if (checked.ok) throw new Error("expected problems");
    expect(checked.errors.get(`${d.key}:window_hours`)).toMatch(/^Funnel 1 "Signup" window \(hours\): must be a number/);
    expect(checked.errors.get(`${d.key}:step-${d.steps[1]!.key}-name`)).toBe('Funnel 1 "Signup", step 2 event name: must not be empty');
  });

  it("ask for a window and two steps at least, within the longest window", () => {
    const a = filled();
    a.window_hours = "";
    a.steps = [a.steps[0]!];
    const b = filled();
    b.window_hours = "9999";
    const checked = validateFunnels([a, b]);
    if (checked.ok) throw new Error("expected problems");
    expect(checked.errors.get(`${a.key}:window_hours`)).toMatch(/window \(hours\): required/);
    expect(checked.errors.get(`${a.key}:steps`)).toMatch(/steps: a funnel has at least 2 steps/);
    expect(checked.errors.get(`${b.key}:window_hours`)).toMatch(/at most 2160 hours/);
  });

  it("ask for one name per funnel (checked once each funnel is valid)", () => {
    const a = filled();
    const b = filled();
    b.name = " Signup ";
    const checked = validateFunnels([a, b]);
    if (checked.ok) throw new Error("expected problems");
    expect(checked.errors.get(`${b.key}:name`)).toBe('Funnel 2 "Signup" name: "Signup" is listed twice');
  });

  it("catch a prop without a value, and a value without a prop", () => {
    const d = filled();
    d.steps[0]!.prop = "plan";
    d.steps[1]!.value = "pro";
    const checked = validateFunnels([d]);
    if (checked.ok) throw new Error("expected problems");
    expect(checked.errors.get(`${d.key}:step-${d.steps[0]!.key}-prop`)).toMatch(/step 1 prop: give the value "plan" must equal/);
    expect(checked.errors.get(`${d.key}:step-${d.steps[1]!.key}-prop`)).toMatch(/step 2 prop: name the prop/);
  });

  it("place the edge's issues on the same fields, and the rest on the list", () => {
    const d = filled();
    d.steps.push(stepDraft());
    const errors = funnelErrors(
      [d],
      [
        { path: "set.funnels[0].steps[2].name", message: "must not be empty" },
        { path: "set.funnels[0].steps[1].props.plan", message: "must be a string, number or boolean" },
        { path: "set.funnels", message: "at most 50 funnels" },
      ],
    );
    expect(errors.get(`${d.key}:step-${d.steps[2]!.key}-name`)).toBe('Funnel 1 "Signup", step 3 event name: must not be empty');
    expect(errors.get(`${d.key}:step-${d.steps[1]!.key}-prop`)).toMatch(/step 2 prop: must be/);
    expect(errors.get("list")).toBe("Funnels: at most 50 funnels");
  });

  it("read issue paths from the schema and from the edge alike", () => {
    expect(issuePath([0, "steps", 1, "name"], "funnels")).toEqual([0, "steps", 1, "name"]);
    expect(issuePath("set.funnels[0].steps[1].name", "funnels")).toEqual([0, "steps", 1, "name"]);
    expect(issuePath("set.experiments[3].goal.props", "experiments")).toEqual([3, "goal", "props"]);
  });
});

describe("experiment drafts", () => {
  it("round-trip a setting, and leave an empty goal and control to their defaults", () => {
    const stored = { experiment: "pricing", control: "a", goal: { name: "signup", props: { plan: "pro" } } };
    expect(validateExperiments([experimentDraft(stored)])).toEqual({ ok: true, value: [stored] });
    expect(validateExperiments([newExperimentDraft("onboarding")])).toEqual({ ok: true, value: [{ experiment: "onboarding" }] });
  });

  it("name the experiment and field of each problem", () => {
    const a = newExperimentDraft("");
    const b = newExperimentDraft("pricing");
    b.goal.prop = "plan";
    b.goal.value = "pro";
    const c = newExperimentDraft("pricing");
    const checked = validateExperiments([a, b, c]);
    if (checked.ok) throw new Error("expected problems");
    expect(checked.errors.get(`${a.key}:experiment`)).toBe("Experiment 1 name: must not be empty");
    expect(checked.errors.get(`${b.key}:goal-name`)).toBe('Experiment 2 "pricing" goal event: must not be empty');
    expect(checked.errors.get(`${c.key}:experiment`)).toBe('Experiment 3 "pricing" name: "pricing" is listed twice');
  });

  it("place the edge's control issue on the control field", () => {
    const d = newExperimentDraft("pricing");
    expect(experimentErrors([d], [{ path: "set.experiments[0].control", message: "names are limited to 200 characters" }]).get(`${d.key}:control`)).toBe(
      'Experiment 1 "pricing" control variant: names are limited to 200 characters',
    );
  });
});

describe("matchText", () => {
  it("reads an event match with its props", () => {
    expect(matchText(CHECKOUT.steps[1]!)).toBe('paid with plan = "pro" and seats = 3');
    expect(matchText({ name: "cart" })).toBe("cart");
  });
});
