// GET /alerts: who may read it, how history pages by id, what a bad
// parameter gets, and that one workspace never sees another's alerts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AlertState, AlertTransition } from "../../shared/alerts.ts";
import type { AlertsResponse } from "../../shared/wire.ts";
import { storeEvaluation } from "../../worker/db/alerts.ts";
import { T0 } from "./alert-fixtures.ts";
import { api, createToken, expectError, workspace } from "./helpers.ts";

const transition = (i: number): AlertTransition => ({
  rule_id: `r${i % 3}`,
  name: `Rule ${i % 3}`,
  kind: i % 2 === 0 ? "firing" : "resolved",
  at: T0 + i,
  value: i,
  threshold: 1,
  severity: "info",
  detail: `entry ${i}`,
});

const state = (rule_id: string, status: AlertState["status"]): AlertState => ({
  rule_id,
  name: rule_id.toUpperCase(),
  status,
  since: T0,
  evaluated_at: T0 + 1,
  value: 2.5,
  threshold: 2,
  severity: "critical",
  detail: "2.5 request events/min",
});

/** A workspace with `n` history entries (oldest first) and two states, stored as the hub would. */
async function withHistory(n: number) {
  const ws = await workspace();
  const writes = Array.from({ length: n }, (_, i) => ({ transition: transition(i), webhookUrl: undefined }));
  const entries = await storeEvaluation(env.DB, ws.id, [state("zeta", "firing"), state("alpha", "ok")], writes, T0);
  return { ws, entries };
}

async function get(ws: string, token: string, query = ""): Promise<Response> {
  return api(`/api/v1/workspaces/${ws}/alerts${query}`, { token });
}

async function page(ws: string, token: string, query = ""): Promise<AlertsResponse> {
  const res = await get(ws, token, query);
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /alerts", () => {
  it("lists states in rule order and history newest first, 50 by default", async () => {
    const { ws, entries } = await withHistory(60);
    const first = await page(ws.id, ws.read);
    expect(first.states.map((s) => [s.rule_id, s.status])).toEqual([
      ["zeta", "firing"],
      ["alpha", "ok"],
    ]);
    expect(first.states[0]).toEqual(state("zeta", "firing"));
    expect(first.history).toEqual(entries.slice(10).reverse());
    expect(first.history[0]).toEqual({ id: entries[59]!.id, ...transition(59) });
    expect(first.next_before).toBe(entries[10]!.id);

    const rest = await page(ws.id, ws.admin, `?before=${first.next_before}`);
    expect(rest.history).toEqual(entries.slice(0, 10).reverse());
    expect(rest.next_before).toBeNull();
  });

  it("pages by before and limit, up to 200, with nothing twice and nothing lost", async () => {
    const { ws, entries } = await withHistory(7);
    const seen: number[] = [];
    let query = "?limit=3";
    for (;;) {
      const p = await page(ws.id, ws.read, query);
      expect(p.history.length).toBeLessThanOrEqual(3);
      seen.push(...p.history.map((h) => h.id));
      if (p.next_before === null) break;
      query = `?limit=3&before=${p.next_before}`;
    }
    expect(seen).toEqual(entries.map((e) => e.id).reverse());
    expect((await page(ws.id, ws.read, "?limit=200")).history).toHaveLength(7);
    // exactly a page: no next page promised
    expect((await page(ws.id, ws.read, "?limit=7")).next_before).toBeNull();
  });

  it("answers an empty workspace with empty lists", async () => {
    const ws = await workspace();
    expect(await page(ws.id, ws.read)).toEqual({ states: [], history: [], next_before: null });
  });

  it.each([
    ["before", "?before=abc"],
    ["before", "?before=0"],
    ["before", "?before=-3"],
    ["limit", "?limit=0"],
    ["limit", "?limit=201"],
    ["limit", "?limit=1.5"],
    ["limit", "?before=5&limit="],
  ])("rejects a bad %s (%s) with 400 naming it", async (parameter, query) => {
    const ws = await workspace();
    const error = await expectError(await get(ws.id, ws.read, query), 400, "invalid_cursor");
    expect(error.details).toEqual({ parameter });
    expect(error.message).toContain(parameter);
  });

  it("takes read and admin tokens only, of its own workspace", async () => {
    const { ws } = await withHistory(2);
    const other = await workspace();
    await expectError(await api(`/api/v1/workspaces/${ws.id}/alerts`), 401, "missing_token");
    await expectError(await get(ws.id, ws.write), 403, "insufficient_scope");
    await expectError(await get(ws.id, other.read), 403, "wrong_workspace");
    await expectError(await get(ws.id, other.admin), 403, "wrong_workspace");
    const share = await createToken(ws, { kind: "read", label: "share" });
    expect((await page(ws.id, share.token)).history).toHaveLength(2);
    await api(`/api/v1/workspaces/${ws.id}/tokens/${share.id}`, { method: "DELETE", token: ws.admin });
    await expectError(await get(ws.id, share.token), 401, "token_revoked");
    // the other workspace sees none of it
    expect(await page(other.id, other.read)).toEqual({ states: [], history: [], next_before: null });
  });
});
