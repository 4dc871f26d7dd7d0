// Command-line handling: help exits 0 on stdout; every usage mistake exits 2
// with a message and the usage on stderr, before any request is made.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEdge, tally, tempDir, type FakeEdge } from "./helpers.ts";

let edge: FakeEdge;
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  edge = await startEdge();
  tmp = await tempDir();
  await tmp.write("a.json", "[]");
});
afterAll(async () => {
  await edge.close();
  await tmp.remove();
});

describe("help", () => {
  it.each([
    [["--help"], "Usage: tally <command>"],
    [["-h"], "Usage: tally <command>"],
    [["help"], "Usage: tally <command>"],
    [["post", "--help"], "Usage: tally post FILE..."],
    [["help", "post"], "Usage: tally post FILE..."],
    [["workspace", "create", "--help"], "--admin-secret SECRET"],
    [["token", "--help"], "Usage: tally token <create|list|revoke>"],
    [["token", "create", "-h"], "--kind KIND"],
    [["token", "list", "--help"], "Usage: tally token list"],
    [["token", "revoke", "--help"], "Usage: tally token revoke TOKEN_ID"],
  ])("%j prints help and exits 0", async (args, expected) => {
    const r = await tally(args, { edge, cwd: tmp.dir, env: { TALLY_WORKSPACE: undefined, TALLY_TOKEN: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain(expected);
    expect(r.stderr()).toBe("");
  });

  it("global help lists every command and global option", async () => {
    const r = await tally(["--help"], { cwd: tmp.dir });
    for (const word of ["post FILE...", "workspace create", "token create", "token list", "token revoke TOKEN_ID", "--url URL", "--workspace ID", "--token TOKEN", "--json"]) {
      expect(r.stdout()).toContain(word);
    }
  });
});

describe("usage errors exit 2 and send nothing", () => {
  it.each([
    [[], {}, "no command given", "Usage: tally <command>"],
    [["frobnicate"], {}, 'unknown command "frobnicate"', "Usage: tally <command>"],
    [["token"], {}, "tally token needs a command: create, list, revoke", "Usage: tally token <create|list|revoke>"],
    [["token", "burn"], {}, 'unknown command "token burn"', "Usage: tally token <create|list|revoke>"],
    [["post", "a.json", "--bogus"], {}, "unknown option --bogus", "Usage: tally post"],
    [["post", "a.json", "--kind", "write"], {}, "tally post does not take --kind", "Usage: tally post"],
    [["post"], {}, "missing FILE...", "Usage: tally post"],
    [["post", "a.json"], { TALLY_WORKSPACE: undefined }, "no workspace", "Usage: tally post"],
    [["post", "a.json"], { TALLY_TOKEN: "  \n" }, "no token", "Usage: tally post"],
    [["post", "a.json", "--retries", "many"], {}, "--retries must be a whole number", "Usage: tally post"],
    [["post", "-", "-"], {}, "- (stdin) can be given only once", "Usage: tally post"],
    [["post", "a.json", "--url", "ftp://example.com"], {}, "must be http or https", "Usage: tally post"],
    [["token", "create", "--label", "ci"], {}, "--kind is required", "Usage: tally token create"],
    [["token", "create", "--kind", "owner", "--label", "ci"], {}, "--kind must be one of admin, write, read", "Usage: tally token create"],
    [["token", "create", "--kind", "write"], {}, "--label is required", "Usage: tally token create"],
    [["token", "create", "--kind"], {}, "--kind", "Usage: tally token create"],
    [["token", "revoke"], {}, "missing TOKEN_ID", "Usage: tally token revoke"],
    [["token", "revoke", "tok_1", "tok_2"], {}, 'unexpected argument "tok_2"', "Usage: tally token revoke"],
    [["token", "revoke", "tly_w_abcdefghijklmnopqrstuvwxyz012345"], {}, "not its secret", "Usage: tally token revoke"],
    [["workspace", "create", "--demo=yes"], { TALLY_ADMIN_SECRET: "s" }, "--demo", "Usage: tally workspace create"],
    [["workspace", "create"], { TALLY_ADMIN_SECRET: undefined }, "needs the instance admin secret", "Usage: tally workspace create"],
  ])("%j", async (args, env, message, usage) => {
    const before = edge.requests.length;
    const r = await tally(args, { edge, cwd: tmp.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain(message);
    expect(r.stderr()).toContain(usage);
    expect(r.stdout()).toBe("");
    expect(edge.requests.length).toBe(before);
  });
});

describe("the bin", () => {
  it("runs through node and prints usage", () => {
    const root = resolve(import.meta.dirname, "../..");
    const result = spawnSync(process.execPath, ["cli/bin/tally.mjs", "--help"], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: tally <command> [options]");
    expect(result.stdout).toContain("post FILE...");
  });

  it("exits 2 on a usage error", () => {
    const root = resolve(import.meta.dirname, "../..");
    const result = spawnSync(process.execPath, ["cli/bin/tally.mjs", "nope"], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "nope"');
  });
});
