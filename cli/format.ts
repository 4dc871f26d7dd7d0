/**
 * Human output: failures with their details, and plain-text tables. Text that
 * came from the server or from files is stripped of control characters first,
 * so a crafted label cannot move the cursor or recolour a CI log.
 */
import { describeFailure, type ApiFailure } from "./http.ts";

/** Removes control characters (ANSI escapes included), keeping the text readable. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/** A failure as lines: the summary, then its details (field issues one per line). */
export function failureLines(error: ApiFailure): string[] {
  const lines = [clean(describeFailure(error))];
  const details = error.details;
  if (details === undefined || details === null) return lines;
  const issues = (details as { issues?: unknown }).issues;
  if (Array.isArray(issues)) {
    for (const issue of issues) {
      const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
      lines.push(`  ${path ? `${clean(String(path))}: ` : ""}${clean(String(message ?? JSON.stringify(issue)))}`);
    }
    const rest = Object.fromEntries(Object.entries(details as object).filter(([k]) => k !== "issues"));
    if (Object.keys(rest).length > 0) lines.push(`  details: ${compact(rest)}`);
    return lines;
  }
  lines.push(`  details: ${compact(details)}`);
  return lines;
}

function compact(value: unknown): string {
  const text = clean(JSON.stringify(value) ?? String(value));
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/** Left-aligned columns separated by two spaces, with a header row. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map(clean))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n");
}

/** A word safe to paste into a POSIX shell: quoted only when it needs to be. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
