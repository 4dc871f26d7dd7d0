/**
 * `npm start`: from a fresh clone to a running Tally on http://localhost:8787.
 * Makes the instance admin secret on first start, builds the app when there is
 * one, applies the local D1 migrations and serves API and app from wrangler dev.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

ensureAdminSecret();
if (existsSync(resolve(root, "app/vite.config.ts"))) run("npm", ["run", "build:app"]);
run(wrangler, ["d1", "migrations", "apply", "tally", "--local"]);

console.log(`\nTally is starting on http://localhost:${port}\n`);
const dev = spawn(wrangler, ["dev", "--port", port, "--show-interactive-dev-session=false"], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
