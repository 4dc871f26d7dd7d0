// `tally workspace create`: where the instance admin secret comes from, the
// request it makes, and how the once-only tokens are shown.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CreateWorkspaceResponse } from "../../shared/wire.ts";
import { apiError, startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

const created: CreateWorkspaceResponse = {
  workspace: { id: "ws_new0123456789abcd", name: "payments-api", demo: false, created_at: "2026-11-20T10:00:00.000Z" },
  tokens: {
    admin: { id: "tok_a1", kind: "admin", label: "first admin token", created_at: "2026-11-20T10:00:00.000Z", expires_at: null, revoked_at: null, token: "tly_a_ADMINADMINADMINADMINADMINADMIN" },
    write: { id: "tok_w1", kind: "write", label: "first write token", created_at: "2026-11-20T10:00:00.000Z", expires_at: null, revoked_at: null, token: "tly_w_WRITEWRITEWRITEWRITEWRITEWRIT" },
    read: { id: "tok_r1", kind: "read", label: "first read token", created_at: "2026-11-20T10:00:00.000Z", expires_at: null, revoked_at: null, token: "tly_r_READREADREADREADREADREADREAD" },
  },
};

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  edge = await startEdge((req) => (req.method === "POST" && req.path === "/api/v1/workspaces" ? { status: 201, body: created } : undefined));
});
afterAll(() => edge.close());
beforeEach(async () => {
  edge.requests.length = 0;
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

const noEnvSecret = { TALLY_ADMIN_SECRET: undefined, TALLY_WORKSPACE: undefined, TALLY_TOKEN: undefined };

describe("the admin secret", () => {
  it("comes from --admin-secret first", async () => {
    await tmp.write(".dev.vars", "TALLY_ADMIN_SECRET=from-file\n");
    const r = await tally(["workspace", "create", "--admin-secret", "from-flag"], { edge, cwd: tmp.dir, env: { TALLY_ADMIN_SECRET: "from-env" } });
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.headers.authorization).toBe("Bearer from-flag");
  });

  it("then from TALLY_ADMIN_SECRET, trimmed", async () => {
    await tmp.write(".dev.vars", "TALLY_ADMIN_SECRET=from-file\n");
    const r = await tally(["workspace", "create"], { edge, cwd: tmp.dir, env: { ...noEnvSecret, TALLY_ADMIN_SECRET: " from-env\n" } });
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.headers.authorization).toBe("Bearer from-env");
  });

  it.each([
    ['TALLY_ADMIN_SECRET="quoted-secret"\n', "quoted-secret"],
    ["# local secrets\nOTHER=1\nTALLY_ADMIN_SECRET='single quoted'\n", "single quoted"],
    ["TALLY_ADMIN_SECRET = bare-secret  # a comment\r\n", "bare-secret"],
    ["export TALLY_ADMIN_SECRET=exported\n", "exported"],
  ])("then from ./.dev.vars: %j", async (file, secret) => {
    await tmp.write(".dev.vars", file);
    const r = await tally(["workspace", "create"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.stderr()).toBe("");
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`);
  });

  it("missing everywhere is a usage error", async () => {
    await tmp.write(".dev.vars", "OTHER=1\nTALLY_ADMIN_SECRET=\n");
    const r = await tally(["workspace", "create"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain("needs the instance admin secret");
    expect(edge.requests).toHaveLength(0);
  });
});

describe("workspace create", () => {
  it("posts the name and demo flag and shows the tokens once with export lines", async () => {
    const r = await tally(["workspace", "create", "--name", "payments-api", "--demo", "--admin-secret", "s3cret"], {
      edge,
      cwd: tmp.dir,
      env: noEnvSecret,
    });
    expect(r.code).toBe(0);
    const req = edge.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/v1/workspaces");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.json).toEqual({ name: "payments-api", demo: true });

    const out = r.stdout();
    expect(out).toContain("ws_new0123456789abcd");
    for (const kind of ["admin", "write", "read"] as const) expect(out).toContain(created.tokens[kind].token);
    expect(out).toMatch(/shown only once/i);
    expect(out).toContain(`export TALLY_WORKSPACE=ws_new0123456789abcd`);
    expect(out).toContain(`export TALLY_URL=${edge.url}`);
    expect(out).toContain(`export TALLY_TOKEN=${created.tokens.write.token}`);
  });

  it("sends an empty object when no name is given", async () => {
    const r = await tally(["workspace", "create", "--admin-secret", "s"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(0);
    expect(edge.requests[0]!.json).toEqual({});
  });

  it("--json prints the response as it came", async () => {
    const r = await tally(["workspace", "create", "--json", "--admin-secret", "s"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout())).toEqual(created);
  });

  it("prints an error's code, message and details and exits 1", async () => {
    edge.queue.push(apiError(400, "invalid_body", "the request body is invalid", { issues: [{ path: "name", message: "names are limited to 100 characters" }] }));
    const r = await tally(["workspace", "create", "--name", "x".repeat(101), "--admin-secret", "s"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(1);
    expect(r.stderr()).toContain("HTTP 400 invalid_body: the request body is invalid");
    expect(r.stderr()).toContain("name: names are limited to 100 characters");
    expect(r.stdout()).toBe("");
  });

  it("is never retried, even on a 5xx: a lost answer must not make two workspaces", async () => {
    edge.queue.push(apiError(503, "not_configured", "this instance has no TALLY_ADMIN_SECRET"));
    const r = await tally(["workspace", "create", "--admin-secret", "s"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(1);
    expect(edge.requests).toHaveLength(1);
    expect(r.stderr()).toContain("HTTP 503 not_configured");
  });

  it("--json prints the error envelope on stdout", async () => {
    edge.queue.push(apiError(401, "invalid_admin_secret", "creating a workspace needs the instance admin secret as bearer token"));
    const r = await tally(["workspace", "create", "--json", "--admin-secret", "wrong"], { edge, cwd: tmp.dir, env: noEnvSecret });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout()).error).toMatchObject({ status: 401, code: "invalid_admin_secret" });
  });
});
