/**
 * The demo workspace's product analytics, for the Product view: `track`
 * events of about 300 people trying the storefront's admin app over two
 * weeks. Each signs up, some finish onboarding, create projects (each with
 * the `feature` it is built around) on the days they come back, invite a
 * teammate and upgrade. Two experiments run:
 * - `onboarding-checklist` (control / checklist), shown at signup; its goal
 *   is the default one: the `onboarding_complete` event carries the
 *   experiment and `converted: true`. The checklist helps.
 * - `pricing-page` (control / annual-first), met when creating a project;
 *   its goal, set in the config, is the `upgrade` event. Annual-first
 *   converts a little better.
 * The config adds that goal and the Activation funnel (signup, onboarding,
 * first project, first invite, within a week).
 */

const FEATURES = ["dashboards", "alerts", "exports", "sharing", "api_keys"] as const;
const SEGMENTS: [string, number][] = [["startup", 55], ["smb", 35], ["enterprise", 10]];

/** The Product view's config for the demo: the pricing-page goal and the Activation funnel. */
export const DEMO_PRODUCT_CONFIG = {
  experiments: [{ experiment: "pricing-page", goal: { name: "upgrade" } }],
  funnels: [
    {
      name: "Activation",
      steps: [{ name: "signup" }, { name: "onboarding_complete" }, { name: "create_project" }, { name: "invite_teammate" }],
      window_hours: 168,
    },
  ],
};

export interface ProductOptions {
  start: number;
  now: number;
  days: number;
  rand: () => number;
  id: () => string;
}

function weighted(rand: () => number, items: readonly [string, number][]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1]![0];
}

/**
 * A feature's weight on day `day` of `days`: alerts launch mid-demo and
 * catch on, exports fade, the rest hold steady, so adoption has trends to show.
 */
function featureWeights(day: number, days: number): [string, number][] {
  const late = day / Math.max(1, days - 1);
  return FEATURES.map((f): [string, number] => [f, f === "alerts" ? (late < 0.4 ? 0.5 : 4 * late) : f === "exports" ? 3 - 2 * late : f === "dashboards" ? 4 : f === "sharing" ? 2 : 1]);
}

/** About 300 users per two weeks (fewer for a shorter demo), every event before `now`. */
export function demoProduct({ start, now, days, rand, id }: ProductOptions): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const dayMs = 86_400_000;
  const hourMs = 3_600_000;
  const users = Math.max(20, Math.round((300 * days) / 14));
  const push = (ts: number, name: string, props: Record<string, string | number | boolean>) => {
    // whole milliseconds: the edge takes no fractions
    if (ts < now) events.push({ id: id(), ts: Math.floor(ts), type: "track", name, props: { ...props, demo: true } });
  };
  for (let u = 0; u < users; u++) {
    const user = `user-${String(u + 1).padStart(4, "0")}`;
    const segment = weighted(rand, SEGMENTS);
    const base = { user, segment };
    // signups arrive through the whole span, in working hours
    const signupAt = start + Math.floor(rand() * days) * dayMs + (8 + rand() * 12) * hourMs;
    const checklist = rand() < 0.5 ? "checklist" : "control";
    push(signupAt, "signup", { ...base, experiment: "onboarding-checklist", variant: checklist });
    if (rand() >= (checklist === "checklist" ? 0.74 : 0.58)) continue;
    // onboarding within a day or two; the funnel's window is a week
    const onboardedAt = signupAt + (0.2 + rand() * 40) * hourMs;
    push(onboardedAt, "onboarding_complete", { ...base, experiment: "onboarding-checklist", variant: checklist, converted: true });

    const pricing = rand() < 0.5 ? "annual-first" : "control";
    // how often this user comes back: a few power users, many occasional ones
    const engagement = rand() < 0.15 ? 0.75 : rand() < 0.5 ? 0.35 : 0.12;
    let projects = 0;
    let invited = false;
    let upgraded = false;
    for (let t = onboardedAt + (0.5 + rand() * 20) * hourMs; t < now; t += dayMs * (0.6 + rand() * 0.8)) {
      // interest fades: each day back is a little less likely than the last
      if (projects > 0 && rand() > engagement * Math.pow(0.93, (t - onboardedAt) / dayMs)) continue;
      const day = Math.floor((t - start) / dayMs);
      const made = 1 + Math.floor(rand() * (engagement > 0.5 ? 3 : 1.6));
      for (let p = 0; p < made; p++) {
        const at = t + p * (5 + rand() * 40) * 60_000;
        push(at, "create_project", { ...base, feature: weighted(rand, featureWeights(day, days)), experiment: "pricing-page", variant: pricing });
        projects++;
      }
      if (!invited && rand() < (segment === "startup" ? 0.3 : 0.45)) {
        invited = true;
        push(t + (1 + rand() * 6) * hourMs, "invite_teammate", { ...base, feature: "sharing" });
      }
      if (!upgraded && projects >= 2 && rand() < (pricing === "annual-first" ? 0.16 : 0.1)) {
        upgraded = true;
        push(t + (0.2 + rand() * 3) * hourMs, "upgrade", { ...base, plan: pricing === "annual-first" && rand() < 0.6 ? "annual" : "monthly", experiment: "pricing-page", variant: pricing });
      }
    }
  }
  return events;
}
