/**
 * What a command is (its flags, arguments and help) and what it is given when
 * it runs. Commands declare; main.ts parses, checks and dispatches, so every
 * command reports usage errors the same way.
 */
import type { Api } from "./http.ts";
import type { FullIo } from "./io.ts";

/** One flag, as node:util parseArgs takes it plus what help prints. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder for the value in help, e.g. `URL`. */
  arg?: string;
  help: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** The words that name it: `["token", "create"]`. */
  words: string[];
  /** Usage line after `tally <words> `, e.g. `--kind KIND --label LABEL [--expires TIME]`. */
  usage: string;
  summary: string;
  /** Help text after the usage line; wrapped by hand. */
  description: string;
  options: Record<string, OptionSpec>;
  positionals: { min: number; max: number };
  /** Global settings the command cannot run without; missing ones are usage errors. */
  needs: { workspace?: boolean; token?: boolean };
  run(ctx: Context): Promise<number>;
}

/** A command's resolved inputs, outputs and the API client. */
export interface Context {
  io: FullIo;
  values: OptionValues;
  /** Arguments after the command words. */
  args: string[];
  json: boolean;
  url: string;
  /** Set when the command `needs` it. */
  workspace: string;
  token: string;
  api: Api;
  /** Human output, on stdout; silent in JSON mode. */
  say(text: string): void;
  /** Diagnostics, on stderr; silent in JSON mode. */
  warn(text: string): void;
  /** The one JSON document a command prints in JSON mode. */
  emitJson(value: unknown): void;
}

/** A mistake in how the command was called: exit 2 with the command's usage (or `group`'s). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandSpec,
    readonly group?: string,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** `--retries`, taken by the commands whose requests are safe to repeat. */
export const RETRIES_OPTION: Record<string, OptionSpec> = {
  retries: { type: "string", arg: "N", help: "retries of a request that failed with 429, 5xx or a network error (default 5)" },
};

/** The value of a string flag, or a usage error naming it. */
export function requireString(ctx: Context, name: string, command: CommandSpec): string {
  const value = ctx.values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`, command);
  return value.trim();
}
