// The Overview's own panels through the real engine: event counts by type
// under the filters, and the types the workspace stores whatever the
// filters, which decide whether the Coverage and Chaos card groups show;
// then the export rows of those groups' cards.
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import { runQueries } from "../../shared/engine/index.ts";
import type { EventType, StoredEvent } from "../../shared/event.ts";
import type { Selection } from "../../app/src/data/api.ts";
import { OVERVIEW_PANELS, readTypeCounts } from "../../app/src/panels/overview.ts";
import { chaosCardRows, coverageCardRows, overviewTable } from "../../app/src/panels/overview-tables.ts";
import type { ImpactData } from "../../app/src/panels/chaos-impact.ts";
import type { CoverageHeadlines } from "../../shared/coverage/index.ts";
import { buildPanels } from "../../app/src/panels/panel-set.ts";

const T0 = Date.UTC(2026, 10, 20);
let seq = 0;
function ev(type: EventType, ts: number, env: string): StoredEvent {
  seq++;
  return { seq, id: `e${seq}`, ts, received_at: ts, type, name: type, props: { env } };
}

// a chaos fault and a mock state long before the range; tests and requests inside it
const EVENTS: StoredEvent[] = [
  ev("chaos", T0 - 30 * 86_400_000, "prod"),
  ev("mock", T0 - 20 * 86_400_000, "dev"),
  ev("request", T0 + 1000, "prod"),
  ev("request", T0 + 2000, "prod"),
  ev("test", T0 + 3000, "dev"),
];

function run(selection: Selection) {
  const requests: Selection = { ...selection, types: ["request"] };
  const panels = buildPanels(OVERVIEW_PANELS, { selection, requests });
  const dict = newDictionary();
  return panels.name(runQueries([encodeBlock(EVENTS, dict)], dict, panels.queries));
}

describe("the Overview's panels", () => {
  const range = { from: T0, to: T0 + 86_400_000 };

  it("count the selected events by type, most first", () => {
    const r = run({ range, filters: [{ dim: { prop: "env" }, in: ["prod"] }] });
    expect(readTypeCounts(r.byType)).toEqual([{ type: "request", count: 2 }]);
  });

  it("know every type stored, whatever the range, type and prop filters", () => {
    const r = run({ range, types: ["request"], filters: [{ dim: { prop: "env" }, in: ["prod"] }] });
    expect(new Set(readTypeCounts(r.stored).map((t) => t.type))).toEqual(new Set(["chaos", "mock", "request", "test"]));
  });
});

describe("the Overview's export", () => {
  const traffic = { requests: 10, errorRate: 0.1, p50: 5, p95: 9, p99: 12 };
  const headlines = {
    flaky: { tests: [], flaky: 2, testsSeen: 7 },
    drift: { mocks: 4, drifting: 1, percent: 25, highDrift: 0, highDriftAt: 0.5, maxPercent: 20, overThreshold: true, trend: { days: [], mocks: [], drifting: [], percent: [] } },
  } satisfies CoverageHeadlines;

  it("lists the coverage and chaos cards between Traffic's and the type counts", () => {
    const chaos = chaosCardRows({ summary: { faults: 5, kinds: 2, endpoints: 3 }, peak: { at: Date.UTC(2026, 10, 20, 11), faults: 4 } }, { impact: { score: 42.5 } } as ImpactData);
    const table = overviewTable(traffic, 0.5, [{ type: "test", count: 7 }], [...coverageCardRows(headlines), ...chaos]);
    expect(table.header).toEqual(["metric", "value"]);
    expect(table.rows.map((r) => r[0])).toEqual([
      "requests",
      "error_rate",
      "p95_ms",
      "requests_per_second",
      "flaky_tests",
      "tests_seen",
      "mocks",
      "drifting_mocks",
      "drift_percent",
      "faults",
      "fault_kinds",
      "affected_endpoints",
      "peak_at",
      "peak_faults",
      "impact_score",
      "events_test",
    ]);
    expect(Object.fromEntries(table.rows)).toMatchObject({ flaky_tests: 2, drift_percent: 25, affected_endpoints: 3, peak_at: "2026-11-20T11:00:00.000Z", impact_score: 42.5 });
  });

  it("leaves the peak and impact empty without faults or before the impact is measured", () => {
    expect(Object.fromEntries(chaosCardRows({ summary: { faults: 0, kinds: 0, endpoints: 0 }, peak: null }, undefined))).toMatchObject({ peak_at: null, peak_faults: 0, impact_score: null });
  });
});
