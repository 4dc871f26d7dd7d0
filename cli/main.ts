/**
 * The `tally` command: parses the command line, resolves settings, and hands
 * a ready Context to one command. `run` is the testable entry (argv without
 * `node` and the script; all I/O injected); `main` wires it to the process.
 */
import { parseArgs } from "node:util";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CommandSpec, type Context, type OptionSpec, type OptionValues } from "./command.ts";
import { post } from "./commands/post.ts";
import { demo } from "./commands/demo.ts";
import { catalogImport } from "./commands/catalog.ts";
import { bundleExport } from "./commands/bundle-export.ts";
import { bundleImport } from "./commands/bundle-import.ts";
import { gate } from "./commands/gate.ts";
import { tokenCreate, tokenList, tokenRevoke } from "./commands/token.ts";
import { workspaceCreate } from "./commands/workspace.ts";
import { resolveUrl, setting } from "./config.ts";
import { Api, DEFAULT_RETRIES } from "./http.ts";
import { withDefaults, type FullIo, type Io } from "./io.ts";
import { GLOBAL_OPTIONS, commandHelp, globalHelp, groupHelp } from "./usage.ts";

export type { Io } from "./io.ts";

export const COMMANDS: CommandSpec[] = [post, workspaceCreate, tokenCreate, tokenList, tokenRevoke, catalogImport, gate, bundleExport, bundleImport, demo];

const MAX_RETRIES = 100;

/** Every flag any command takes: one parse checks them all, and a second step checks they fit the command. */
const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options));
const PARSE_OPTIONS = Object.fromEntries(
  Object.entries(ALL_OPTIONS).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
);

type Found = { command: CommandSpec } | { group: string; commands: CommandSpec[] } | { none: true };

function findCommand(positionals: string[]): Found {
  const command = COMMANDS.find((c) => c.words.every((w, i) => positionals[i] === w));
  if (command) return { command };
  const group = positionals[0];
  const commands = COMMANDS.filter((c) => c.words.length > 1 && c.words[0] === group);
  return group !== undefined && commands.length > 0 ? { group, commands } : { none: true };
}

function usageText(error: UsageError): string {
  if (error.command) return commandHelp(error.command, true);
  return (error.group && helpFor([error.group])) || globalHelp(COMMANDS);
}

/** Help for what `words` name, or undefined when they name nothing. */
function helpFor(words: string[]): string | undefined {
  if (words.length === 0) return globalHelp(COMMANDS);
  const found = findCommand(words);
  if ("command" in found) return commandHelp(found.command);
  if ("group" in found) return groupHelp(found.group, found.commands);
  return undefined;
}

function parse(argv: string[], command: CommandSpec | undefined) {
  try {
    return parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const message = (e as Error).message;
    // node's hint about `--` for an unknown option misleads more than it helps here
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new UsageError(unknown ? `unknown option ${unknown[1]}` : message, command);
  }
}

function retriesOf(values: OptionValues, command: CommandSpec): number {
  const raw = values["retries"];
  if (typeof raw !== "string") return DEFAULT_RETRIES;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > MAX_RETRIES) throw new UsageError(`--retries must be a whole number from 0 to ${MAX_RETRIES}, not "${raw}"`, command);
  return Number(raw);
}

async function dispatch(argv: string[], io: FullIo): Promise<number> {
  // a lenient first look finds the command, so even a bad flag gets that command's usage
  const guess = findCommand(parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: false }).positionals);
  const { values, positionals, tokens } = parse(argv, "command" in guess ? guess.command : undefined);

  if (positionals[0] === "help") {
    const text = helpFor(positionals.slice(1));
    if (text === undefined) throw new UsageError(`no help for "${positionals.slice(1).join(" ")}": not a command`);
    io.stdout.write(`${text}\n`);
    return EXIT_OK;
  }
  const found = findCommand(positionals);
  if (!("command" in found)) {
    if (values.help === true) {
      const text = helpFor("group" in found ? [found.group] : []);
      io.stdout.write(`${text}\n`);
      return EXIT_OK;
    }
    if ("group" in found) {
      const names = found.commands.map((c) => c.words[1]).join(", ");
      const sub = positionals[1];
      const message = sub === undefined ? `tally ${found.group} needs a command: ${names}` : `unknown command "${found.group} ${sub}"; try one of: ${names}`;
      throw new UsageError(message, undefined, found.group);
    }
    throw new UsageError(positionals.length === 0 ? "no command given" : `unknown command "${positionals[0]}"`);
  }

  const command = found.command;
  if (values.help === true) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return EXIT_OK;
  }
  for (const token of tokens) {
    if (token.kind === "option" && !(token.name in GLOBAL_OPTIONS) && !(token.name in command.options)) {
      throw new UsageError(`tally ${command.words.join(" ")} does not take ${token.rawName}`, command);
    }
  }
  const args = positionals.slice(command.words.length);
  if (args.length < command.positionals.min) throw new UsageError(`missing ${command.usage.split(" ")[0]}`, command);
  if (args.length > command.positionals.max) throw new UsageError(`unexpected argument "${args[command.positionals.max]}"`, command);

  const url = resolveUrl(values, io.env);
  if ("error" in url) throw new UsageError(url.error, command);
  const workspace = setting(values, "workspace", io.env, "TALLY_WORKSPACE") ?? "";
  const token = setting(values, "token", io.env, "TALLY_TOKEN") ?? "";
  if (command.needs.workspace && !workspace) throw new UsageError("no workspace: pass --workspace ID or set TALLY_WORKSPACE", command);
  if (command.needs.token && !token) throw new UsageError("no token: pass --token TOKEN or set TALLY_TOKEN", command);

  const json = values.json === true;
  const api = new Api({
    baseUrl: url.url,
    fetch: io.fetch,
    sleep: io.sleep,
    random: io.random,
    retries: retriesOf(values, command),
    log: (text) => io.stderr.write(`${text}\n`),
  });
  const ctx: Context = {
    io,
    values,
    args,
    json,
    url: url.url,
    workspace,
    token,
    api,
    say: (text) => void (json || io.stdout.write(`${text}\n`)),
    warn: (text) => void (json || io.stderr.write(`${text}\n`)),
    emitJson: (value) => void (json && io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)),
  };
  return command.run(ctx);
}

/** Runs one command line; resolves to the exit code. Never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  const full = withDefaults(io);
  try {
    return await dispatch(argv, full);
  } catch (e) {
    if (e instanceof UsageError) {
      full.stderr.write(`tally: ${e.message}\n\n${usageText(e)}\n`);
      return EXIT_USAGE;
    }
    full.stderr.write(`tally: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILED;
  }
}

/** The process entry: `argv` is process.argv, node and script path first. */
export async function main(argv: string[] = process.argv): Promise<number> {
  // stdin is opened only when a command reads `-`: merely touching process.stdin sets it up
  const stdin = { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() };
  return run(argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin, env: process.env });
}
