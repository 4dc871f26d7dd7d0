/**
 * Persona CI hits (DESIGN.md, Views 3): per persona, how often tests that ran
 * and CI requests (those with `ci` or `run`) used it, the day of the last
 * hit, and the CI systems (`ci` values) that hit it. Declared personas that
 * nothing hit are listed too, with no hits.
 */
import type { CoverageResults } from "./results.ts";
import { amount, label, rowsOf, time } from "./rows.ts";

/** One persona's CI hits. */
export interface PersonaHits {
  persona: string;
  declared: boolean;
  /** Tests plus CI requests. */
  hits: number;
  tests: number;
  ciRequests: number;
  /** Start of the (local) day of the last hit; null if never hit. */
  lastHit: number | null;
  /** Distinct `ci` values of the hits, sorted. */
  ciSystems: string[];
}

/** Every persona hit or declared. */
export interface PersonaSummary {
  /** Most hit first; declared personas never hit come last. */
  personas: PersonaHits[];
  /** Declared personas with no hit, in declaration order. */
  neverHit: string[];
}

/** Hits per persona. */
export function personaHits(results: CoverageResults, declared: readonly string[]): PersonaSummary {
  const found = new Map<string, PersonaHits & { systems: Set<string> }>();
  const at = (persona: string) => {
    let p = found.get(persona);
    if (p === undefined) {
      found.set(persona, (p = { persona, declared: false, hits: 0, tests: 0, ciRequests: 0, lastHit: null, ciSystems: [], systems: new Set() }));
    }
    return p;
  };
  const hit = (persona: string, ci: string | null, day: number, n: number, kind: "tests" | "ciRequests") => {
    const p = at(persona);
    p[kind] += n;
    p.hits += n;
    if (ci !== null) p.systems.add(ci);
    if (!Number.isNaN(day)) p.lastHit = Math.max(p.lastHit ?? -Infinity, day);
  };
  for (const row of rowsOf(results.personaTests)) {
    const persona = label(row, 0);
    if (persona !== null) hit(persona, label(row, 1), time(row, 2), amount(row, 0), "tests");
  }
  // CI requests in their two disjoint parts (queries.ts): with a run, and with a `ci` but no run
  for (const row of [...rowsOf(results.personaRunRequests), ...rowsOf(results.personaCiRequests)]) {
    const persona = label(row, 0);
    if (persona !== null) hit(persona, label(row, 1), time(row, 2), amount(row, 0), "ciRequests");
  }
  for (const name of declared) at(name).declared = true;
  const personas = [...found.values()]
    .map(({ systems, ...p }) => ({ ...p, ciSystems: [...systems].sort() }))
    .sort((a, b) => b.hits - a.hits || a.persona.localeCompare(b.persona));
  return { personas, neverHit: declared.filter((name) => found.get(name)!.hits === 0) };
}
