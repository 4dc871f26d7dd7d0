/**
 * Help text, built from the command specs so that flags and their help can
 * never drift apart.
 */
import type { CommandSpec, OptionSpec } from "./command.ts";

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  url: { type: "string", arg: "URL", help: "the Tally edge (env TALLY_URL; default http://localhost:8787)" },
  workspace: { type: "string", arg: "ID", help: "workspace id, ws_... (env TALLY_WORKSPACE)" },
  token: { type: "string", arg: "TOKEN", help: "workspace token, tly_... (env TALLY_TOKEN)" },
  json: { type: "boolean", help: "print one JSON document with the result (or the error) instead of text" },
  help: { type: "boolean", short: "h", help: "show help" },
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  const left = Object.entries(options).map(([name, o]) => `${o.short ? `-${o.short}, ` : ""}--${name}${o.arg ? ` ${o.arg}` : ""}`);
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(options).map((o, i) => `  ${left[i]!.padEnd(width)}  ${o.help}`);
}

function commandLines(commands: CommandSpec[]): string[] {
  const left = commands.map((c) => [...c.words, ...(c.positionals.min > 0 ? [c.usage.split(" ")[0]!] : [])].join(" "));
  const width = Math.max(...left.map((l) => l.length));
  return commands.map((c, i) => `  ${left[i]!.padEnd(width)}  ${c.summary}`);
}

export function globalHelp(commands: CommandSpec[]): string {
  return [
    "Usage: tally <command> [options]",
    "",
    "Sends events from CI to a Tally edge, gates builds on coverage and drift, manages\nworkspaces, tokens and the endpoint catalog, and moves workspaces as bundle files.",
    "",
    "Commands:",
    ...commandLines(commands),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    "Run `tally <command> --help` for a command's own options.",
    "Exit status: 0 done; 1 failed, events were rejected, or a gate's thresholds were missed;\n2 usage error.",
  ].join("\n");
}

/** Help for the commands sharing a first word, e.g. `tally token`. */
export function groupHelp(group: string, commands: CommandSpec[]): string {
  return [
    `Usage: tally ${group} <${commands.map((c) => c.words[1]).join("|")}> [options]`,
    "",
    "Commands:",
    ...commandLines(commands),
    "",
    `Run \`tally ${group} <command> --help\` for a command's options.`,
  ].join("\n");
}

/** A command's help; `brief` (after a usage error) leaves out the description. */
export function commandHelp(command: CommandSpec, brief = false): string {
  const name = `tally ${command.words.join(" ")}`;
  const own = Object.keys(command.options).length > 0 ? ["", "Options:", ...optionLines(command.options)] : [];
  return [
    `Usage: ${name}${command.usage ? ` ${command.usage}` : ""} [options]`,
    ...(brief ? [] : ["", command.description]),
    ...own,
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    ...(brief ? ["", `Run \`${name} --help\` for more.`] : []),
  ].join("\n");
}
