/**
 * Workspace bundles: a whole workspace (its events and config) as one NDJSON
 * file, so it can be moved to another workspace or browser offline. Line 1 is
 * the header (format, version, the source workspace, its config), then one
 * event per line in the source's seq order, then an end line with the event
 * count, so a truncated download is told apart from a complete one. Lines are
 * written and read one at a time: a million-event workspace never has to be
 * one string or one array. Reading and checking is bundle-parse.ts.
 */
import type { WorkspaceConfig } from "./config.ts";
import type { EventType, Props, StoredEvent } from "./event.ts";

/** The `format` of every bundle header. */
export const BUNDLE_FORMAT = "tally-bundle";

/** The bundle version this code writes and reads; a reader refuses newer ones rather than guess. */
export const BUNDLE_VERSION = 1;

/** Where a bundle came from: enough to name it and to derive where it is imported to. */
export interface BundleWorkspace {
  id: string;
  name: string;
  demo: boolean;
}

/** Line 1 of a bundle. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  /** ISO-8601 UTC time the export started. */
  exported_at: string;
  workspace: BundleWorkspace;
  /** The keys that held a value, each as the config schema stores it. */
  config: WorkspaceConfig;
}

/** One event line: a stored event without its seq, which only meant something in the source workspace. */
export interface BundleEvent {
  id: string;
  /** Event time, epoch ms. */
  ts: number;
  /** When the source edge received it, epoch ms. */
  received_at: number;
  type: EventType;
  name: string;
  props: Props;
}

/** The last line: how many event lines come before it. */
export interface BundleEnd {
  end: { events: number };
}

/** The header line's text (no newline). */
export function headerLine(header: Omit<BundleHeader, "format" | "version">): string {
  const full: BundleHeader = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, ...header };
  return JSON.stringify(full);
}

/** An event's line text (no newline); fields in a fixed order so equal events give equal lines. */
export function eventLine(event: BundleEvent | StoredEvent): string {
  const line: BundleEvent = { id: event.id, ts: event.ts, received_at: event.received_at, type: event.type, name: event.name, props: event.props };
  return JSON.stringify(line);
}

/**
 * The event as the ingest API takes it (received_at is the target edge's to
 * set): exactly the JSON `tally bundle import` posts, and whose UTF-8 length
 * the edge holds to LIMITS.eventBytes.
 */
export function postedEventText(e: BundleEvent): string {
  return JSON.stringify({ id: e.id, ts: e.ts, type: e.type, name: e.name, props: e.props });
}

/** The end line's text (no newline). */
export function endLine(events: number): string {
  const end: BundleEnd = { end: { events } };
  return JSON.stringify(end);
}

/** `bundle-<source id>`: where a bundle is imported in a browser, the same for every bundle of one workspace, so a re-import merges. */
export function importedWorkspaceId(sourceId: string): string {
  return sourceId.startsWith("bundle-") ? sourceId : `bundle-${sourceId}`;
}

/** Whether bytes start with the gzip magic number (1f 8b): bundles may be gzip-compressed whatever their name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
