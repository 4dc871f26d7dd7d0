// The Overview's own panels through the real engine: event counts by type
// under the filters, and the types the workspace stores whatever the
// filters, which decide whether the Coverage and Chaos card groups show.
import { describe, expect, it } from "vitest";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import { runQueries } from "../../shared/engine/index.ts";
import type { EventType, StoredEvent } from "../../shared/event.ts";
import type { Selection } from "../../app/src/data/api.ts";
import { OVERVIEW_PANELS, readTypeCounts } from "../../app/src/panels/overview.ts";
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
