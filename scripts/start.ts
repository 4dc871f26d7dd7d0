/**
 * `npm start`: from a fresh clone to a running Tally on http://localhost:8787.
 * Makes the instance admin secret on first start, builds the app, applies the
 * local D1 migrations and serves API and app from wrangler dev. On the first
 * start it also posts a demo workspace through the public API (`tally demo`)
 * and prints its link; later starts print that link again.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { OFFLINE_ENV } from "./local-env.ts";

const root = resolve(import.meta.dirname, "..");
const port = process.env["PORT"] ?? "8787";
const env = { ...process.env, ...OFFLINE_ENV };
const wrangler = resolve(root, "node_modules/.bin/wrangler");

/** Ensures .dev.vars holds an admin secret; wrangler dev reads it as a secret binding. */
function ensureAdminSecret(): void {
  const file = resolve(root, ".dev.vars");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (/^TALLY_ADMIN_SECRET\s*=\s*\S+/m.test(current)) {
    console.log(`Instance admin secret: TALLY_ADMIN_SECRET in ${file}`);
    return;
  }
  const secret = randomBytes(32).toString("base64url");
  const sep = current === "" || current.endsWith("\n") ? "" : "\n";
  writeFileSync(file, `${current}${sep}TALLY_ADMIN_SECRET="${secret}"\n`, { mode: 0o600 });
  console.log(`Instance admin secret created: TALLY_ADMIN_SECRET in ${file} (git-ignored; keep it private)`);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Resolves once the server answers anything at all. */
async function serverUp(url: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/api/v1/workspaces/up`);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

/**
 * The demo workspace, once per local database: the marker lives beside the
 * state in .wrangler/, so wiping the state brings a fresh demo next time.
 */
async function ensureDemo(url: string): Promise<void> {
  const marker = resolve(root, ".wrangler/tally-demo.json");
  if (existsSync(marker)) {
    const { link } = JSON.parse(readFileSync(marker, "utf8")) as { link: string };
    console.log(`\nDemo workspace: ${link}\n`);
    return;
  }
  if (!(await serverUp(url))) {
    console.error("The server did not answer within a minute; no demo workspace was made. Run `npx tally demo` once it is up.");
    return;
  }
  const demo = spawnSync(process.execPath, [resolve(root, "cli/bin/tally.mjs"), "demo", "--json", "--url", url], { cwd: root, env, encoding: "utf8" });
  if (demo.status !== 0) {
    console.error(`Posting the demo workspace failed; run \`npx tally demo\` to try again.\n${demo.stderr}`);
    return;
  }
  const { link, workspace } = JSON.parse(demo.stdout) as { link: string; workspace: { id: string } };
  mkdirSync(resolve(root, ".wrangler"), { recursive: true });
  writeFileSync(marker, JSON.stringify({ workspace: workspace.id, link }) + "\n", { mode: 0o600 });
  console.log(`\nDemo workspace posted (labelled demo). Open it:\n  ${link}\n`);
}

ensureAdminSecret();
run("npm", ["run", "build:app"]);
run(wrangler, ["d1", "migrations", "apply", "tally", "--local"]);

console.log(`\nTally is starting on http://localhost:${port}\n`);
const dev = spawn(wrangler, ["dev", "--port", port, "--show-interactive-dev-session=false"], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
void ensureDemo(`http://localhost:${port}`);
