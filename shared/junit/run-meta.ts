/**
 * The CI run a report belongs to: `ci`, `run`, `branch` and `commit`, sent as
 * query parameters by `tally post` (from its flags or the CI's environment).
 * Checked the same way by the CLI, before sending, and by the edge.
 */
import type { Issue, Validated } from "../validate.ts";

export interface RunMeta {
  /** The CI system: github, gitlab, jenkins, circleci, or any short lowercase name. */
  ci?: string;
  /** The run's id within its CI system; ids of the report's events derive from it. */
  run?: string;
  branch?: string;
  commit?: string;
}

export const RUN_META_KEYS = ["ci", "run", "branch", "commit"] as const;

const RULES: Record<keyof RunMeta, { pattern: RegExp; says: string }> = {
  ci: { pattern: /^[a-z0-9][a-z0-9_.-]{0,31}$/, says: "must be a lowercase name of at most 32 letters, digits, '.', '_' or '-' (github, gitlab, jenkins, circleci)" },
  // Jenkins' BUILD_TAG holds the job name, which may hold spaces and any script
  run: { pattern: /^[^\x00-\x20\x7f][^\x00-\x1f\x7f]{0,127}$/u, says: "must be 1 to 128 characters without control characters, not starting with a space" },
  // git allows much in a branch name, but no control characters and nothing past 255 bytes
  branch: { pattern: /^[^\x00-\x20\x7f][^\x00-\x1f\x7f]{0,254}$/u, says: "must be 1 to 255 characters without control characters, not starting with a space" },
  commit: { pattern: /^[0-9a-fA-F]{4,64}$/, says: "must be a commit hash: 4 to 64 hexadecimal digits" },
};

/**
 * Reads and checks the run's fields from a lookup (URL query parameters, CLI
 * flags). Absent and empty values are left out; the commit is lower-cased.
 */
export function parseRunMeta(get: (key: keyof RunMeta) => string | null | undefined): Validated<RunMeta> {
  const value: RunMeta = {};
  const issues: Issue[] = [];
  for (const key of RUN_META_KEYS) {
    const raw = get(key);
    if (raw === null || raw === undefined || raw === "") continue;
    const rule = RULES[key];
    if (!rule.pattern.test(raw)) {
      issues.push({ path: key, message: `${key} ${rule.says}; got ${JSON.stringify(raw.slice(0, 60))}${raw.length > 60 ? "…" : ""}` });
      continue;
    }
    value[key] = key === "commit" ? raw.toLowerCase() : raw;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}
