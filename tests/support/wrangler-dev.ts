/**
 * Starts `wrangler dev` for a bench or end-to-end target on a free port, with a fresh local
 * D1 in a temp folder (never the repo's .wrangler/ state, so a bench neither
 * reads nor pollutes a developer's data), and stops its whole process tree.
 * The Worker is bundled once up front and served with --no-bundle: `wrangler
 * dev` otherwise rebuilds and reloads whenever a source file changes, and a
 * bench must measure one build, not whatever is being edited meanwhile.
 * Output goes to a log file in that folder, shown only when something fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const START_TIMEOUT_MS = 60_000;

export interface DevServerOptions {
  /** Short name for the temp folder and messages, e.g. "product". */
  label: string;
  /** Path of the wrangler.toml to run. */
  config: string;
  /** The D1 database name (or binding) whose migrations to apply. */
  database: string;
  /** Vars passed with `--var`, e.g. secrets that must not land in a file. */
  vars?: Record<string, string>;
  /**
   * Serve an empty folder as the static assets, for configs that declare
   * `[assets]`: an API bench should not need the app built.
   */
  emptyAssets?: boolean;
  /** SQL run on the local database after the migrations, before the server starts. */
  sql?: string;
}

export interface DevServer {
  url: string;
  /** The wrangler output; kept when `stop({ keep: true })`. */
  logFile: string;
  /**
   * CPU seconds used so far by the server's processes (wrangler, workerd):
   * on a shared machine a steadier measure of work than wall time. Linux only;
   * NaN elsewhere.
   */
  cpuSeconds(): number;
  /** Stops the process tree, then removes the temp folder unless `keep`. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/** Process groups not yet stopped, killed if the bench exits or is interrupted. */
const groups = new Set<number>();
/** Temp folders of servers not yet stopped, removed on exit or interruption. */
const folders = new Set<string>();
let exitHooked = false;

/**
 * Signals a whole process group (wrangler, esbuild, workerd): children are
 * spawned detached, so each leads its own group. Sent even after the leader
 * exited, since workerd may outlive it.
 */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/** Whether any process of the group is still alive (signal 0 only checks). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // "exit" runs on process.exit too, so the signal handlers only need to exit
  process.on("exit", () => {
    for (const pid of groups) killGroup(pid, "SIGKILL");
    for (const dir of folders) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => process.exit(signal === "SIGINT" ? 130 : 143));
  }
}

/** A port nothing listens on now; the OS picks it. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? ok(address.port) : fail(new Error("no port"))));
    });
  });
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux build that matters

/** User + system CPU seconds of the live processes of a process group, from /proc. */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // fields after the parenthesised command: state ppid pgrp ... utime(14) stime(15)
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / CLOCK_TICKS;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((ok) => child.once("exit", (code) => ok(code)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Removes folders that are empty; leaves any that something else has filled. */
function removeIfEmpty(...dirs: string[]): void {
  for (const d of dirs) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

function failure(what: string, logFile: string): Error {
  return new Error(`${what}; wrangler output: ${logFile}`);
}

/** Starts on new ports this many times when the ones picked were taken meanwhile. */
const PORT_ATTEMPTS = 3;

/** Waits until `dev` answers on `url` (true), or has exited (false); throws past the start timeout. */
async function answers(dev: ChildProcess, url: string, label: string, logFile: string): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (dev.exitCode !== null || dev.signalCode !== null) return false;
    if (Date.now() > deadline) throw failure(`${label}: wrangler dev did not answer on ${url} within ${START_TIMEOUT_MS / 1000}s`, logFile);
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
      return true; // any HTTP answer means the Worker is up
    } catch {
      await sleep(200);
    }
  }
}

export async function startWranglerDev(options: DevServerOptions): Promise<DevServer> {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), `tally-${options.label}-`));
  folders.add(dir);
  const persist = join(dir, "state");
  const logFile = join(dir, "wrangler.log");
  // an empty env file stops wrangler from loading the repo's .dev.vars: only --var counts
  const envFile = join(dir, "empty.env");
  writeFileSync(envFile, "");
  const log = openSync(logFile, "a");
  // wrangler bundles into .wrangler/tmp beside the config; if that folder is ours, remove it after
  const hidden = join(dirname(resolve(options.config)), ".wrangler");
  const ownHidden = !existsSync(hidden);
  const env = {
    ...process.env,
    CI: "true", // no prompts (migrations apply asks for confirmation otherwise)
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false", // no download of the request `cf` object: no network here
    WRANGLER_CACHE_DIR: join(dir, "cache"),
    WRANGLER_LOG_PATH: join(dir, "logs"), // its debug logs too, not in ~/.config
    NO_COLOR: "1",
  };
  const mine: number[] = [];
  const run = (args: string[]) => {
    const child = spawn(WRANGLER, args, { cwd: ROOT, env, stdio: ["ignore", log, log], detached: true });
    if (child.pid !== undefined) {
      groups.add(child.pid);
      mine.push(child.pid);
    }
    return child;
  };
  const kill = (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    killGroup(child.pid, signal);
    if (signal === "SIGKILL") groups.delete(child.pid);
  };

  try {
    const migrate = run(["d1", "migrations", "apply", options.database, "--local", "--persist-to", persist, "-c", options.config]);
    const migrated = await exited(migrate);
    kill(migrate, "SIGKILL");
    if (migrated !== 0) throw failure(`${options.label}: applying migrations failed`, logFile);
    if (options.sql !== undefined) {
      const execute = run(["d1", "execute", options.database, "--local", "--persist-to", persist, "-c", options.config, "--command", options.sql]);
      const executed = await exited(execute);
      kill(execute, "SIGKILL");
      if (executed !== 0) throw failure(`${options.label}: running the setup SQL failed`, logFile);
    }

    // `deploy --dry-run` bundles exactly as a deploy would, offline, and uploads nothing
    const bundle = join(dir, "bundle");
    const assets = options.emptyAssets ? ["--assets", join(dir, "assets")] : [];
    if (options.emptyAssets) mkdirSync(join(dir, "assets"));
    const build = run(["deploy", "--dry-run", "--outdir", bundle, "-c", options.config, ...assets]);
    const built = await exited(build);
    kill(build, "SIGKILL");
    // the bundle is named after the config's `main`; the folder also holds a README and a source map
    const script = built === 0 ? readdirSync(bundle).find((f) => /\.m?js$/.test(f)) : undefined;
    if (script === undefined) throw failure(`${options.label}: bundling the Worker failed`, logFile);

    const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
    // a free port can be taken again between our probe and wrangler's bind (tests run side by side): then new ports
    let dev: ChildProcess;
    let url: string;
    for (let attempt = 1; ; attempt++) {
      const [port, inspectorPort] = [await freePort(), await freePort()];
      const logStart = readFileSync(logFile).length;
      dev = run([
        "dev",
        join(bundle, script),
        "--no-bundle",
        "-c", options.config,
        "--local",
        "--ip", "127.0.0.1",
        "--port", String(port),
        "--inspector-port", String(inspectorPort),
        "--persist-to", persist,
        "--env-file", envFile,
        "--show-interactive-dev-session=false",
        "--log-level", "warn",
        ...assets,
        ...vars,
      ]);
      url = `http://127.0.0.1:${port}`;
      if (await answers(dev, url, options.label, logFile)) break;
      const raced = readFileSync(logFile).subarray(logStart).toString().includes("Address already in use");
      kill(dev, "SIGKILL");
      if (!raced || attempt === PORT_ATTEMPTS) throw failure(`${options.label}: wrangler dev exited early`, logFile);
    }

    let stopped = false;
    return {
      url,
      logFile,
      cpuSeconds: () => (dev.pid === undefined ? Number.NaN : groupCpuSeconds(dev.pid)),
      async stop({ keep = false } = {}) {
        if (stopped) return;
        stopped = true;
        // TERM first so wrangler removes its bundle folder; KILL what is left
        kill(dev, "SIGTERM");
        await Promise.race([exited(dev), sleep(5_000)]);
        kill(dev, "SIGKILL");
        // signals land asynchronously: wait until the whole tree is gone before removing its files
        for (let waited = 0; dev.pid !== undefined && groupAlive(dev.pid) && waited < 3_000; waited += 50) await sleep(50);
        closeSync(log);
        folders.delete(dir);
        if (!keep) rmSync(dir, { recursive: true, force: true });
        if (ownHidden) removeIfEmpty(join(hidden, "tmp"), hidden);
      },
    };
  } catch (e) {
    for (const pid of mine) {
      killGroup(pid, "SIGKILL");
      groups.delete(pid);
    }
    closeSync(log);
    folders.delete(dir); // keep its log for the error message
    throw e;
  }
}
