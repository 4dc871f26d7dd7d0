// Alert rules evaluated in the aggregation worker: over the segments the
// aggregator loaded, through Comlink as the page calls it, with hysteresis
// carried by the states the page passes back.
import { afterEach, describe, expect, it } from "vitest";
import * as Comlink from "comlink";
import { validateAlertRules, type AlertRule, type AlertRuleInput } from "../../shared/alerts/rule.ts";
import { evaluateRules } from "../../shared/alerts/state.ts";
import { encodeBlock, newDictionary } from "../../shared/columns.ts";
import type { StoredEvent } from "../../shared/event.ts";
import { evaluateLoadedAlerts } from "../../app/src/aggregate/alerts.ts";
import { AggregatorNotOpenError, StoreAggregator } from "../../app/src/aggregate/aggregator.ts";
import { exposeAggregator } from "../../app/src/aggregate/expose.ts";
import type { Aggregator } from "../../app/src/data/api.ts";
import { SegmentStore } from "../../app/src/store/segment-store.ts";
import { openTestDb } from "./helpers.ts";

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 12);

function rules(input: AlertRuleInput[]): AlertRule[] {
  const checked = validateAlertRules(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
}

const RULES = rules([
  { id: "slow", name: "Slow", type: "latency", percentile: "p50", threshold: 500, window_minutes: 5, severity: "warning" },
  { id: "faults", name: "Faults", type: "fault_rate", threshold: 0.5, window_minutes: 5, severity: "critical" },
  { id: "off", name: "Off", type: "rate_limit", threshold: 0, window_minutes: 5, severity: "info", enabled: false },
]);

let seq = 0;
/** `n` requests of `latency` ms and `faults` chaos events, spread over the minute before `at`. */
function minute(at: number, n: number, latency: number, faults = 0): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let i = 0; i < n + faults; i++) {
    seq++;
    const ts = at - MIN + Math.floor(((i + 0.5) * MIN) / (n + faults));
    const chaos = i >= n;
    out.push({ seq, id: `e${seq}`, ts, received_at: ts, type: chaos ? "chaos" : "request", name: "x", props: chaos ? { fault: "error" } : { latency_ms: latency, status: 200 } });
  }
  return out;
}

describe("evaluateLoadedAlerts", () => {
  it("gives what shared evaluateRules gives over the same blocks", () => {
    const dict = newDictionary();
    const blocks = [encodeBlock(minute(NOW, 10, 800, 8), dict)];
    const mine = evaluateLoadedAlerts({ blocks, dict }, RULES, NOW, []);
    expect(mine).toEqual(evaluateRules(RULES, blocks, dict, NOW, []));
    // disabled rules are not evaluated
    expect(mine.states.map((s) => [s.rule_id, s.status])).toEqual([
      ["slow", "firing"],
      ["faults", "firing"],
    ]);
  });
});

describe("Aggregator.evaluateAlerts through Comlink", () => {
  const channels: MessageChannel[] = [];
  afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

  async function remoteOver(store: SegmentStore): Promise<Comlink.Remote<Aggregator>> {
    const channel = new MessageChannel();
    channels.push(channel);
    exposeAggregator(new StoreAggregator(store), channel.port1);
    return Comlink.wrap<Aggregator>(channel.port2);
  }

  it("evaluates over the loaded events, fires, holds inside the band and resolves after a refresh", async () => {
    const store = new SegmentStore(openTestDb().db);
    const remote = await remoteOver(store);
    await store.appendPage("ws_a", minute(NOW, 20, 800, 12), seq);
    await remote.open("ws_a");

    const first = await remote.evaluateAlerts(RULES, NOW, []);
    expect(first.states.map((s) => [s.rule_id, s.status, s.value])).toEqual([
      ["slow", "firing", 800],
      ["faults", "firing", 0.6],
    ]);
    expect(first.transitions.map((t) => [t.rule_id, t.kind])).toEqual([
      ["slow", "firing"],
      ["faults", "firing"],
    ]);

    // a minute later: p50 470 ms is under 500 but above 450 (the 10% band): still firing
    await store.appendPage("ws_a", minute(NOW + 10 * MIN, 20, 470), seq);
    await remote.refresh();
    const held = await remote.evaluateAlerts(RULES, NOW + 10 * MIN, first.states);
    expect(held.states.find((s) => s.rule_id === "slow")).toMatchObject({ status: "firing", value: 470, since: NOW });
    // while the faults stopped: 0 per request, well past the band
    expect(held.transitions.map((t) => [t.rule_id, t.kind])).toEqual([["faults", "resolved"]]);

    await store.appendPage("ws_a", minute(NOW + 20 * MIN, 20, 100), seq);
    await remote.refresh();
    const resolved = await remote.evaluateAlerts(RULES, NOW + 20 * MIN, held.states);
    expect(resolved.states.find((s) => s.rule_id === "slow")).toMatchObject({ status: "ok", value: 100, since: NOW + 20 * MIN });
    expect(resolved.transitions.map((t) => [t.rule_id, t.kind])).toEqual([["slow", "resolved"]]);

    // a rule removed while firing resolves, as at the edge
    const removed = await remote.evaluateAlerts([RULES[1]!], NOW, first.states);
    expect(removed.transitions.map((t) => [t.rule_id, t.kind, t.detail])).toEqual([["slow", "resolved", "rule removed"]]);
    remote[Comlink.releaseProxy]();
  });

  it("refuses before a workspace is open", async () => {
    const remote = await remoteOver(new SegmentStore(openTestDb().db));
    await expect(remote.evaluateAlerts(RULES, NOW, [])).rejects.toThrow(new AggregatorNotOpenError().message);
    remote[Comlink.releaseProxy]();
  });
});
