// Authorization on every workspace route: token kinds, malformed and unknown
// tokens, revocation, expiry, and isolation between workspaces.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_SECRET, api, countEvents, createToken, expectError, postJson, requestEvent, sleep, snapshot, workspace, type Ws } from "./helpers.ts";

type Kind = "admin" | "write" | "read";

interface Route {
  name: string;
  /** Calls the route on workspace `ws` with a raw Authorization header (or none). */
  call: (ws: Ws, authorization?: string) => Promise<Response>;
  /** Status for each kind of the workspace's own token. */
  ok: Record<Kind, number>;
}

const auth = (authorization?: string): Record<string, string> => (authorization === undefined ? {} : { Authorization: authorization });
const json = { "Content-Type": "application/json" };

const ROUTES: Route[] = [
  { name: "GET workspace", ok: { admin: 200, write: 200, read: 200 }, call: (ws, a) => api(`/api/v1/workspaces/${ws.id}`, { headers: auth(a) }) },
  {
    name: "POST tokens",
    ok: { admin: 201, write: 403, read: 403 },
    call: (ws, a) =>
      api(`/api/v1/workspaces/${ws.id}/tokens`, { method: "POST", headers: { ...json, ...auth(a) }, body: JSON.stringify({ kind: "admin", label: "x" }) }),
  },
  { name: "GET tokens", ok: { admin: 200, write: 403, read: 403 }, call: (ws, a) => api(`/api/v1/workspaces/${ws.id}/tokens`, { headers: auth(a) }) },
  {
    name: "DELETE token",
    ok: { admin: 200, write: 403, read: 403 },
    call: (ws, a) => api(`/api/v1/workspaces/${ws.id}/tokens/${ws.created.tokens.write.id}`, { method: "DELETE", headers: auth(a) }),
  },
  {
    name: "POST events",
    ok: { admin: 200, write: 200, read: 403 },
    call: (ws, a) =>
      api(`/api/v1/workspaces/${ws.id}/events`, { method: "POST", headers: { ...json, ...auth(a) }, body: JSON.stringify([requestEvent()]) }),
  },
  { name: "GET events", ok: { admin: 200, write: 403, read: 200 }, call: (ws, a) => api(`/api/v1/workspaces/${ws.id}/events`, { headers: auth(a) }) },
];

const KINDS: Kind[] = ["admin", "write", "read"];
const bearer = (token: string) => `Bearer ${token}`;

// two workspaces the cross-workspace tests share: those requests must change neither
let a: Ws;
let b: Ws;
beforeAll(async () => {
  [a, b] = await Promise.all([workspace("a"), workspace("b")]);
  await postJson(b.id, b.write, [requestEvent({ id: "b-1" })]);
});

describe.each(ROUTES)("$name", (route) => {
  it.each(KINDS)("answers a %s token of the workspace as the kind allows", async (kind) => {
    const ws = await workspace();
    const res = await route.call(ws, bearer(ws[kind]));
    if (route.ok[kind] === 403) {
      const error = await expectError(res, 403, "insufficient_scope");
      expect(error.message).toContain(`this is a ${kind} token`);
    } else {
      expect(res.status).toBe(route.ok[kind]);
    }
  });

  it("accepts the scheme in any case", async () => {
    const ws = await workspace();
    expect((await route.call(ws, `bearer ${ws.admin}`)).status).toBe(route.ok.admin);
  });

  it("answers 401 with WWW-Authenticate to a missing, malformed or unknown token and changes nothing", async () => {
    const ws = await workspace();
    const before = await snapshot(ws.id);
    const cases: [string | undefined, string, RegExp][] = [
      [undefined, "missing_token", /Authorization: Bearer/],
      ["", "missing_token", /Authorization: Bearer/],
      [`Basic ${btoa("user:pass")}`, "invalid_token", /must be `Bearer <token>`/],
      ["Bearer", "invalid_token", /must be `Bearer <token>`/],
      [`Bearer ${ws.admin} extra`, "invalid_token", /must be `Bearer <token>`/],
      [bearer(`tly_x_${"a".repeat(32)}`), "invalid_token", /malformed token/],
      [bearer(ws.admin.slice(0, -1)), "invalid_token", /malformed token/],
      [bearer(`${ws.admin}a`), "invalid_token", /malformed token/],
      [bearer(`${ws.admin.slice(0, -1)}-`), "invalid_token", /malformed token/],
      [bearer(ADMIN_SECRET), "invalid_token", /malformed token/],
      [bearer(`tly_a_${"A".repeat(32)}`), "invalid_token", /^unknown token$/],
      // a real token with its kind prefix swapped is a different, unknown token
      [bearer(`tly_w_${ws.admin.slice(6)}`), "invalid_token", /^unknown token$/],
    ];
    for (const [header, code, message] of cases) {
      const res = await route.call(ws, header);
      const error = await expectError(res, 401, code);
      expect(error.message, String(header)).toMatch(message);
      expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    }
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it.each(KINDS)("refuses a %s token of another workspace with 403 and changes nothing there", async (kind) => {
    const before = await snapshot(b.id);
    await expectError(await route.call(b, bearer(a[kind])), 403, "wrong_workspace");
    expect(await snapshot(b.id)).toEqual(before);
    expect(await countEvents(a.id)).toBe(0);
    expect(await countEvents(b.id)).toBe(1);
  });
});

describe("revocation and expiry", () => {
  it("refuses a revoked token of every kind on every route at once", async () => {
    const ws = await workspace();
    const spare = await createToken(ws, { kind: "admin", label: "spare" });
    for (const kind of KINDS) {
      const res = await api(`/api/v1/workspaces/${ws.id}/tokens/${ws.created.tokens[kind].id}`, { method: "DELETE", token: spare.token });
      expect(res.status).toBe(200);
    }
    const before = await snapshot(ws.id);
    for (const route of ROUTES) {
      for (const kind of KINDS) await expectError(await route.call(ws, bearer(ws[kind])), 401, "token_revoked");
    }
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it("refuses a token from the moment it expires, on every route, and changes nothing", async () => {
    const ws = await workspace();
    const soon = await createToken(ws, { kind: "admin", label: "short-lived", expires_at: Date.now() + 60_000 });
    for (const route of ROUTES.filter((r) => r.name.startsWith("GET"))) {
      expect((await route.call(ws, bearer(soon.token))).status, route.name).toBe(200);
    }
    // move the expiry to now rather than wait for it: expires_at itself is already expired
    await env.DB.prepare("UPDATE tokens SET expires_at = ?1 WHERE id = ?2").bind(Date.now(), soon.id).run();
    const before = await snapshot(ws.id);
    for (const route of ROUTES) await expectError(await route.call(ws, bearer(soon.token)), 401, "token_expired");
    expect(await snapshot(ws.id)).toEqual(before);
  });

  it("honours an expiry set at creation once its time has passed", async () => {
    const ws = await workspace();
    const expiresAt = Date.now() + 500;
    const soon = await createToken(ws, { kind: "read", label: "brief", expires_at: expiresAt });
    expect(soon.expires_at).toBe(new Date(expiresAt).toISOString());
    await sleep(expiresAt - Date.now() + 20);
    await expectError(await api(`/api/v1/workspaces/${ws.id}/events`, { token: soon.token }), 401, "token_expired");
  });
});

describe("isolation beyond the token check", () => {
  it("cannot reach another workspace's token through its own workspace's path", async () => {
    const [a, b] = await Promise.all([workspace("a"), workspace("b")]);
    const before = await snapshot(b.id);
    await expectError(await api(`/api/v1/workspaces/${a.id}/tokens/${b.created.tokens.write.id}`, { method: "DELETE", token: a.admin }), 404, "not_found");
    expect(await snapshot(b.id)).toEqual(before);
    const listed = (await (await api(`/api/v1/workspaces/${a.id}/tokens`, { token: a.admin })).json()) as { tokens: { id: string }[] };
    expect(listed.tokens.map((t) => t.id).sort()).toEqual(Object.values(a.created.tokens).map((t) => t.id).sort());
  });

  it("does not count an expired admin token as another admin", async () => {
    const ws = await workspace();
    const other = await createToken(ws, { kind: "admin", label: "other", expires_at: Date.now() + 60_000 });
    await env.DB.prepare("UPDATE tokens SET expires_at = ?1 WHERE id = ?2").bind(Date.now() - 1, other.id).run();
    await expectError(await api(`/api/v1/workspaces/${ws.id}/tokens/${ws.created.tokens.admin.id}`, { method: "DELETE", token: ws.admin }), 409, "last_admin_token");
    await expectError(await api(`/api/v1/workspaces/${ws.id}`, { token: other.token }), 401, "token_expired");
  });
});
