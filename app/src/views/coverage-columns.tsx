/**
 * The columns of the Coverage & risk tables: what each shows and sorts on.
 * Names from events and config (endpoints, scenarios, personas, tests) are
 * user input and render as text.
 */
import type { EndpointCoverage, FlakyTest, MockStaleness, PersonaHits, ScenarioUsage, UndocumentedEndpoint } from "../../../shared/coverage/index.ts";
import { formatInteger, formatPercent } from "../components/format.ts";
import type { Column } from "../components/table.tsx";
import { missingCodes } from "../panels/coverage-tables.ts";

const day = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A day start as "Nov 20". */
export function formatDay(t: number): string {
  return Number.isFinite(t) ? day.format(t) : "—";
}

/** A day start as "Nov 20, 2026"; "never" for null. */
export function formatDate(t: number | null): string {
  return t === null || !Number.isFinite(t) ? "never" : date.format(t);
}

const codes = (list: readonly number[]) => (list.length === 0 ? "—" : list.join(" "));
/** Sorts null (never) before every time when ascending, so "least recently" reads first. */
const timeValue = (t: number | null) => t ?? -Infinity;

function endpointCell(r: { method: string; endpoint: string }) {
  return (
    <>
      <span class="method">{r.method}</span> <span class="mono">{r.endpoint}</span>
    </>
  );
}

export const ENDPOINT_COLUMNS: Column<EndpointCoverage>[] = [
  { key: "endpoint", label: "Endpoint", value: (r) => `${r.endpoint} ${r.method}`, render: endpointCell },
  { key: "documented", label: "Documented", value: (r) => r.documented.length, render: (r) => codes(r.documented), numeric: true, title: "Documented response codes" },
  { key: "exercised", label: "Exercised", value: (r) => r.exercised.length, render: (r) => codes(r.exercised), numeric: true, title: "Documented codes a test or CI request exercised" },
  {
    key: "coverage",
    label: "Coverage",
    value: (r) => r.coverage,
    render: (r) => (
      <span classList={{ bad: r.underThreshold }} data-under={r.underThreshold ? "yes" : "no"}>
        {formatPercent(r.coverage)}
        {r.underThreshold ? " ⚠ under threshold" : ""}
      </span>
    ),
    numeric: true,
  },
  { key: "tests", label: "Tests", value: (r) => r.tests, render: (r) => formatInteger(r.tests), numeric: true, title: "Test runs (not skipped) naming this endpoint" },
  { key: "lastTested", label: "Last tested", value: (r) => timeValue(r.lastTested), render: (r) => formatDate(r.lastTested), numeric: true },
  { key: "missing", label: "Missing codes", value: (r) => missingCodes(r).join(" "), render: (r) => <span class="mono">{codes(missingCodes(r))}</span> },
  { key: "missingScenarios", label: "Missing scenarios", value: (r) => r.missingScenarios.join(", "), render: (r) => (r.missingScenarios.length === 0 ? "—" : r.missingScenarios.join(", ")) },
];

export const UNDOCUMENTED_COLUMNS: Column<UndocumentedEndpoint>[] = [
  { key: "endpoint", label: "Endpoint", value: (r) => `${r.endpoint} ${r.method}`, render: endpointCell },
  { key: "tests", label: "Tests", value: (r) => r.tests, render: (r) => formatInteger(r.tests), numeric: true },
  { key: "ciRequests", label: "CI requests", value: (r) => r.ciRequests, render: (r) => formatInteger(r.ciRequests), numeric: true },
  { key: "codes", label: "Codes", value: (r) => r.codes.join(" "), render: (r) => codes(r.codes) },
];

const TREND: Record<ScenarioUsage["direction"], string> = { up: "▲", down: "▼", flat: "=", new: "new", none: "—" };

export const SCENARIO_COLUMNS: Column<ScenarioUsage>[] = [
  { key: "scenario", label: "Scenario", value: (r) => r.scenario, render: (r) => <span class="mono">{r.scenario}</span> },
  { key: "count", label: "Uses", value: (r) => r.count, render: (r) => formatInteger(r.count), numeric: true },
  { key: "lastUsed", label: "Last used", value: (r) => timeValue(r.lastUsed), render: (r) => formatDate(r.lastUsed), numeric: true },
  {
    key: "trend",
    label: "Trend",
    value: (r) => r.trend ?? NaN,
    render: (r) => `${TREND[r.direction]}${r.trend !== null ? ` ${r.trend >= 0 ? "+" : ""}${formatPercent(r.trend)}` : ""} (${formatInteger(r.thisWeek)} this week)`,
    numeric: true,
    title: "Uses in the last 7 days against the 7 days before",
  },
];

export const PERSONA_COLUMNS: Column<PersonaHits>[] = [
  { key: "persona", label: "Persona", value: (r) => r.persona, render: (r) => <span class="mono">{r.persona}</span> },
  { key: "hits", label: "Hits", value: (r) => r.hits, render: (r) => <span classList={{ bad: r.hits === 0 }}>{formatInteger(r.hits)}</span>, numeric: true, title: "Tests plus CI requests" },
  { key: "lastHit", label: "Last hit", value: (r) => timeValue(r.lastHit), render: (r) => formatDate(r.lastHit), numeric: true },
  { key: "ci", label: "CI systems", value: (r) => r.ciSystems.join(", "), render: (r) => (r.ciSystems.length === 0 ? "—" : r.ciSystems.join(", ")) },
];

export const STALENESS_COLUMNS: Column<MockStaleness>[] = [
  {
    key: "mock",
    label: "Mock",
    value: (r) => r.mock,
    render: (r) => (r.method && r.endpoint ? endpointCell({ method: r.method, endpoint: r.endpoint }) : <span class="mono">{r.mock}</span>),
  },
  { key: "level", label: "Reality level", value: (r) => r.level ?? NaN, render: (r) => (r.level === null ? "—" : `${r.level} of 5`), numeric: true },
  { key: "lastChanged", label: "Last changed", value: (r) => timeValue(r.lastChanged), render: (r) => formatDate(r.lastChanged), numeric: true },
  {
    key: "daysStale",
    label: "Days stale",
    value: (r) => r.daysStale ?? NaN,
    render: (r) => <span classList={{ bad: r.stale }}>{r.daysStale === null ? "—" : formatInteger(r.daysStale)}</span>,
    numeric: true,
  },
  { key: "drift", label: "Drift", value: (r) => r.drift ?? NaN, render: (r) => (r.drift === null ? "—" : formatPercent(r.drift)), numeric: true },
  { key: "recommendation", label: "Recommendation", value: (r) => r.recommendation, render: (r) => <span classList={{ bad: r.advice !== "ok" }}>{r.recommendation}</span> },
];

export const FLAKY_COLUMNS: Column<FlakyTest>[] = [
  {
    key: "test",
    label: "Test",
    value: (r) => `${r.suite ?? ""} ${r.name}`,
    render: (r) => (
      <>
        <span class="mono">{r.name}</span>
        {r.suite ? <span class="muted"> · {r.suite}</span> : null}
      </>
    ),
  },
  { key: "flakeRate", label: "Flake rate", value: (r) => r.flakeRate, render: (r) => formatPercent(r.flakeRate), numeric: true, title: "Commits it was flaky on ÷ commits it ran on" },
  { key: "flakyCommits", label: "Flaky commits", value: (r) => r.flakyCommits, render: (r) => `${formatInteger(r.flakyCommits)} of ${formatInteger(r.commits)}`, numeric: true },
  { key: "runs", label: "Runs", value: (r) => r.runs, render: (r) => formatInteger(r.runs), numeric: true },
  { key: "failures", label: "Failures", value: (r) => r.failures, render: (r) => formatInteger(r.failures), numeric: true },
];
