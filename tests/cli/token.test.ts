// `tally token create|list|revoke`: request shapes, printing, and which of
// them may be retried.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IssuedToken, TokenInfo } from "../../shared/wire.ts";
import { ADMIN, WS, apiError, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const issued: IssuedToken = {
  id: "tok_gh",
  kind: "write",
  label: "github-actions",
  created_at: "2026-11-20T10:00:00.000Z",
  expires_at: null,
  revoked_at: null,
  token: "tly_w_NEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNE",
};
const listed: TokenInfo[] = [
  { id: "tok_a1", kind: "admin", label: "first admin token", created_at: "2026-11-20T10:00:00.000Z", expires_at: null, revoked_at: null },
  { id: "tok_r1", kind: "read", label: "share \u001b[31mlink", created_at: "2026-11-20T10:01:00.000Z", expires_at: "2026-12-01T00:00:00.000Z", revoked_at: "2026-11-21T09:00:00.000Z" },
];

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
const tokensPath = `/api/v1/workspaces/${WS}/tokens`;
beforeAll(async () => {
  tmp = await tempDir();
  edge = await startEdge((req) => {
    if (req.path === tokensPath && req.method === "POST") return { status: 201, body: { token: { ...issued, ...req.json, expires_at: req.json.expires_at ? "2027-01-01T00:00:00.000Z" : null } } };
    if (req.path === tokensPath && req.method === "GET") return { status: 200, body: { tokens: listed } };
    if (req.path.startsWith(`${tokensPath}/`) && req.method === "DELETE") {
      return { status: 200, body: { token: { ...listed[1], id: decodeURIComponent(req.path.split("/").pop()!), revoked_at: "2026-11-22T00:00:00.000Z" } } };
    }
    return undefined;
  });
});
afterAll(async () => {
  await edge.close();
  await tmp.remove();
});
beforeEach(() => {
  edge.requests.length = 0;
});

const run = (args: string[]) => tally(args, { edge, cwd: tmp.dir, token: ADMIN });

describe("token create", () => {
  it("posts kind and label with the admin token and prints the token once", async () => {
    const r = await run(["token", "create", "--kind", "write", "--label", "github-actions"]);
    expect(r.code).toBe(0);
    const req = edge.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(tokensPath);
    expect(req.headers.authorization).toBe(`Bearer ${ADMIN}`);
    expect(req.json).toEqual({ kind: "write", label: "github-actions" });
    expect(r.stdout()).toContain(issued.token);
    expect(r.stdout()).toContain("tok_gh");
    expect(r.stdout()).toMatch(/shown only once/i);
  });

  it.each([
    ["1798761600000", 1798761600000],
    ["2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
  ])("--expires %s is sent as %j", async (flag, sent) => {
    const r = await run(["token", "create", "--kind", "read", "--label", "share", "--expires", flag]);
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.json).toEqual({ kind: "read", label: "share", expires_at: sent });
    expect(r.stdout()).toContain("expires 2027-01-01T00:00:00.000Z");
  });

  it("prints field issues and exits 1, without retrying", async () => {
    edge.queue.push(apiError(400, "invalid_body", "the request body is invalid", { issues: [{ path: "expires_at", message: "must lie in the future" }] }));
    const r = await run(["token", "create", "--kind", "read", "--label", "x", "--expires", "2001-01-01T00:00:00Z"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("HTTP 400 invalid_body: the request body is invalid");
    expect(r.stderr()).toContain("expires_at: must lie in the future");
    expect(edge.requests).toHaveLength(1);
  });

  it("is not retried on a 500: a lost answer would leave an unseen live token", async () => {
    edge.queue.push(apiError(500, "internal", "internal error; the request may be retried"));
    const r = await run(["token", "create", "--kind", "write", "--label", "x"]);
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(1);
  });
});

describe("token list", () => {
  it("gets the tokens and prints a table without control characters", async () => {
    const r = await run(["token", "list"]);
    expect(r.code).toBe(0);
    expect(edge.requests[0]).toMatchObject({ method: "GET", path: tokensPath });
    const lines = r.stdout().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+KIND\s+LABEL\s+CREATED\s+EXPIRES\s+REVOKED$/);
    expect(lines[1]).toMatch(/^tok_a1\s+admin\s+first admin token\s+2026-11-20T10:00:00.000Z\s+-\s+-$/);
    expect(lines[2]).toMatch(/^tok_r1\s+read\s+share  \[31mlink\s+2026-11-20T10:01:00.000Z\s+2026-12-01T00:00:00.000Z\s+2026-11-21T09:00:00.000Z$/);
    expect(r.stdout()).not.toContain("\u001b");
  });

  it("--json prints the response", async () => {
    const r = await run(["token", "list", "--json"]);
    expect(JSON.parse(r.stdout())).toEqual({ tokens: listed });
  });

  it("is retried on a 503 (reading is safe to repeat)", async () => {
    edge.queue.push(apiError(503, "unavailable", "try again"));
    const r = await run(["token", "list"]);
    expect(r.code).toBe(0);
    expect(edge.requests).toHaveLength(2);
    expect(r.stderr()).toContain("retrying");
  });

  it("exits 1 on 403 and says why", async () => {
    edge.queue.push(apiError(403, "insufficient_scope", "this needs a admin token; this is a write token"));
    const r = await run(["token", "list"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("HTTP 403 insufficient_scope: this needs a admin token; this is a write token");
    expect(edge.requests).toHaveLength(1);
  });
});

describe("token revoke", () => {
  it("deletes the token by id and confirms", async () => {
    const r = await run(["token", "revoke", "tok_r1"]);
    expect(r.code).toBe(0);
    expect(edge.requests[0]).toMatchObject({ method: "DELETE", path: `${tokensPath}/tok_r1` });
    expect(edge.requests[0]!.headers.authorization).toBe(`Bearer ${ADMIN}`);
    expect(r.stdout()).toContain("Revoked read token tok_r1");
  });

  it("escapes the id in the path", async () => {
    await run(["token", "revoke", "tok/../x"]);
    expect(edge.requests[0]!.path).toBe(`${tokensPath}/tok%2F..%2Fx`);
  });

  it("reports 409 last_admin_token and exits 1", async () => {
    edge.queue.push(apiError(409, "last_admin_token", "this is the workspace's last active admin token; create another admin token first"));
    const r = await run(["token", "revoke", "tok_a1"]);
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("HTTP 409 last_admin_token: this is the workspace's last active admin token");
  });
});
