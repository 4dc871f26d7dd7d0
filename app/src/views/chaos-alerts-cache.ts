/**
 * The last copy of what the edge said about a workspace's alerts (active
 * alerts, history) and its alert rules, kept in localStorage so the view
 * still shows them, marked as offline, when the edge cannot be reached. Small
 * JSON (a page of history, at most 100 rules); anything unreadable counts as
 * no copy.
 */
import { alertRules, type AlertRule } from "../../../shared/alerts/rule.ts";
import type { AlertsResponse } from "../../../shared/wire.ts";
import { alertsResponse } from "./chaos-edge.ts";

/** A copy and when it was fetched (epoch ms). */
export interface Cached<T> {
  value: T;
  fetchedAt: number;
}

const ALERTS = "tally:alerts:";
const RULES = "tally:alert-rules:";

function local(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

function read(key: string, store: Storage | null): { value: unknown; fetchedAt: number } | null {
  try {
    const parsed = JSON.parse(store?.getItem(key) ?? "null") as { value?: unknown; fetchedAt?: unknown } | null;
    return parsed && typeof parsed.fetchedAt === "number" ? { value: parsed.value, fetchedAt: parsed.fetchedAt } : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown, fetchedAt: number, store: Storage | null): void {
  try {
    store?.setItem(key, JSON.stringify({ value, fetchedAt }));
  } catch {
    // a full or refused storage only costs the offline copy
  }
}

export function loadCachedAlerts(workspaceId: string, store: Storage | null = local()): Cached<AlertsResponse> | null {
  const raw = read(ALERTS + workspaceId, store);
  const parsed = raw && alertsResponse.safeParse(raw.value);
  return raw && parsed?.success ? { value: parsed.data, fetchedAt: raw.fetchedAt } : null;
}

export function saveCachedAlerts(workspaceId: string, value: AlertsResponse, fetchedAt: number, store: Storage | null = local()): void {
  write(ALERTS + workspaceId, value, fetchedAt, store);
}

/** Checked with the shared schema again: a copy written by an older app may no longer fit it. */
export function loadCachedRules(workspaceId: string, store: Storage | null = local()): Cached<{ rules: AlertRule[]; version: number }> | null {
  const raw = read(RULES + workspaceId, store);
  const v = raw?.value as { rules?: unknown; version?: unknown } | undefined;
  const rules = alertRules.safeParse(v?.rules);
  return raw && rules.success && typeof v?.version === "number" ? { value: { rules: rules.data, version: v.version }, fetchedAt: raw.fetchedAt } : null;
}

export function saveCachedRules(workspaceId: string, value: { rules: AlertRule[]; version: number }, fetchedAt: number, store: Storage | null = local()): void {
  write(RULES + workspaceId, value, fetchedAt, store);
}
