/**
 * The demo workspace's content jobs, so its Jobs & cost view has something to
 * say: a content-generation platform's jobs (blog posts, product
 * descriptions, newsletters...) run by its editors through OpenAI, Anthropic
 * or a local model, single-shot or in several stages. Costs are in whole
 * cents (a local model's compute is cheap, not free); durations in seconds;
 * `qc_score` is the quality check's score from 0 to 100, as the platform
 * reports it. Most jobs succeed; some fail (more during the storefront's
 * outage, when a provider rate-limits), the quality gate blocks a few, an
 * editor cancels one now and then, and the last ones are still running.
 */

/** [job name, weight, base cost in USD, base seconds]: what editors ask for, how often, and how heavy it is. */
const KINDS: [name: string, weight: number, cost: number, seconds: number][] = [
  ["product-description", 30, 0.02, 6],
  ["social-thread", 18, 0.01, 4],
  ["blog-post", 16, 0.12, 35],
  ["newsletter", 8, 0.09, 28],
  ["seo-article", 10, 0.18, 48],
  ["landing-page", 5, 0.22, 55],
  ["translation", 9, 0.05, 15],
  ["press-release", 3, 0.15, 40],
  ["ebook-chapter", 1, 1.4, 240],
];

/** [provider, weight, cost factor, speed factor]. */
const PROVIDERS: [name: string, weight: number, cost: number, speed: number][] = [
  ["anthropic", 45, 1.1, 1],
  ["openai", 40, 1, 0.9],
  ["local", 15, 0.08, 2.2],
];

/** [strategy, weight, cost factor, duration factor]: several stages (draft, critique, revise) cost about three single shots. */
const STRATEGIES: [name: string, weight: number, cost: number, time: number][] = [
  ["multi_stage", 60, 2.8, 2.4],
  ["single_shot", 40, 1, 1],
];

/** Editors, busiest first: a few do most of the work, as on any team. */
const USERS = ["maria.lind", "jon.okafor", "sara.berg", "li.wei", "tom.hale", "ana.costa", "raj.iyer", "emma.roth", "ola.nilsson", "kim.park", "ben.adler", "zoe.marsh"];

export interface JobOptions {
  start: number;
  now: number;
  days: number;
  rand: () => number;
  id: () => string;
  /** The storefront's outage, when one provider rate-limits most jobs. */
  outage: number;
}

function pick<T extends [string, number, ...unknown[]]>(rand: () => number, items: readonly T[]): T {
  const total = items.reduce((s, it) => s + it[1], 0);
  let r = rand() * total;
  for (const it of items) if ((r -= it[1]) < 0) return it;
  return items[items.length - 1]!;
}

/** Busy on weekday working hours, a little at weekends and at night. */
function jobsInHour(t: number): number {
  const d = new Date(t);
  const hour = d.getUTCHours();
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  const working = hour >= 8 && hour < 18 ? 5 : hour >= 6 && hour < 22 ? 1.2 : 0.2;
  return working * (weekend ? 0.3 : 1);
}

/** About 50 jobs a weekday, each a `job` event when it ends (or, for the last few, while it runs). */
export function demoJobs({ start, now, days, rand, id, outage }: JobOptions): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const hourMs = 3_600_000;
  const zipf = USERS.map((u, i) => [u, 1 / (i + 1)] as [string, number]);
  for (let hour = start; hour < start + days * 24 * hourMs; hour += hourMs) {
    const expected = jobsInHour(hour);
    // a whole number of jobs whose mean is the expected one
    const count = Math.floor(expected * (0.6 + rand() * 0.8) + rand());
    for (let i = 0; i < count; i++) {
      const ts = hour + Math.floor(rand() * hourMs);
      if (ts >= now) continue;
      const [name, , baseCost, baseSeconds] = pick(rand, KINDS);
      const [provider, , costFactor, speed] = pick(rand, PROVIDERS);
      const [strategy, , stageCost, stageTime] = pick(rand, STRATEGIES);
      const user = pick(rand, zipf)[0];
      const spread = 0.6 + rand() * 0.9;
      let seconds = baseSeconds * speed * stageTime * spread;
      let cost = baseCost * costFactor * stageCost * spread;
      const limited = provider === "openai" && ts >= outage && ts < outage + 2 * hourMs;
      let status = "succeeded";
      let qc: number | null = Math.round(Math.min(100, 62 + rand() * 30 + (strategy === "multi_stage" ? 8 : 0) - (provider === "local" ? 7 : 0)) * 10) / 10;
      if (now - ts < 10 * 60_000 && rand() < 0.5) {
        // reported mid-way: no outcome, no quality check yet
        status = "running";
        qc = null;
      } else if (limited ? rand() < 0.7 : rand() < 0.035) {
        // a provider error part-way: the stages run so far are still billed
        status = "failed";
        seconds *= 0.4;
        cost *= 0.35;
        qc = null;
      } else if (rand() < 0.02) {
        status = "cancelled";
        seconds *= 0.5;
        cost *= 0.5;
        qc = null;
      } else if (qc < 65) {
        // the quality gate: delivered nothing, cost all the same
        status = "blocked";
      }
      const props: Record<string, string | number | boolean> = {
        status,
        provider,
        strategy,
        // whole cents, at least one: every call is billed
        cost_usd: Math.max(1, Math.round(cost * 100)) / 100,
        duration_s: Math.round(seconds * 10) / 10,
        user,
        demo: true,
      };
      if (qc !== null) props["qc_score"] = qc;
      events.push({ id: id(), ts, type: "job", name, props });
    }
  }
  return events;
}
