/**
 * Where settings come from: a flag wins over the environment, which wins over
 * a default. CI passes secrets as environment variables, often with a stray
 * newline, so values are trimmed and empty ones count as unset.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { OptionValues } from "./command.ts";

export const DEFAULT_URL = "http://localhost:8787";

function present(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** The flag's value, else the environment variable's. */
export function setting(values: OptionValues, flag: string, env: Record<string, string | undefined>, variable: string): string | undefined {
  return present(values[flag]) ?? present(env[variable]);
}

/** The edge's base URL without a trailing slash, or an error message. */
export function resolveUrl(values: OptionValues, env: Record<string, string | undefined>): { url: string } | { error: string } {
  const raw = setting(values, "url", env, "TALLY_URL") ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { error: `--url / TALLY_URL is not a URL: ${raw}` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { error: `--url / TALLY_URL must be http or https: ${raw}` };
  return { url: raw.replace(/\/+$/, "") };
}

/**
 * Reads one variable from a wrangler `.dev.vars` file (dotenv syntax: `KEY=value`,
 * value optionally quoted, `#` comments); undefined when the file or key is absent.
 */
export async function readDevVar(dir: string, key: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, ".dev.vars"), "utf8");
  } catch {
    return undefined;
  }
  let found: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || match[1] !== key) continue;
    let value = match[2]!;
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    if (quoted) value = quoted[1]!;
    else value = value.replace(/\s+#.*$/, "");
    // the last assignment wins, as in dotenv
    found = value;
  }
  return present(found);
}
