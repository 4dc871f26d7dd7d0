/**
 * The event model: the six event types, their wire shape, and the limits the
 * edge enforces. Everything else in Tally is built on these types.
 */

/** Every event type Tally understands; see DESIGN.md, Events. */
export const EVENT_TYPES = ["request", "test", "mock", "job", "chaos", "track"] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/** A prop value: props are flat, so no objects, arrays or null. */
export type PropValue = string | number | boolean;

/** The flat map of props an event carries. */
export type Props = Record<string, PropValue>;

/** An event as a sender posts it. */
export interface WireEvent {
  /** Unique within the workspace; a repeated id is a retry. */
  id?: string;
  /** Event time: ISO-8601 text or epoch milliseconds. Defaults to receive time. */
  ts?: string | number;
  type: EventType;
  name: string;
  props?: Props;
}

/** An event as the edge stores and serves it: times are epoch milliseconds. */
export interface StoredEvent {
  /** Position in the workspace's log; the sync cursor. */
  seq: number;
  id: string;
  ts: number;
  received_at: number;
  type: EventType;
  name: string;
  props: Props;
}

/**
 * Published limits (README, "Limits"). Byte limits are UTF-8 bytes; the body
 * limit applies after decompression.
 */
export const LIMITS = {
  bodyBytes: 1_000_000,
  eventsPerBatch: 1_000,
  /** Test case runs one JUnit report may make (the 1,000,000-byte body limit comes first for most reports). */
  testRunsPerReport: 10_000,
  eventBytes: 32 * 1024,
  propsPerEvent: 100,
  propKeyChars: 128,
  propStringChars: 2_000,
  idChars: 128,
  nameChars: 512,
  /** Short enough that `<key>:<index>` stays within `idChars`. */
  idempotencyKeyChars: 100,
  pageSize: 5_000,
  /** Timestamps further ahead of receive time than this are clamped. */
  futureToleranceMs: 23 * 60 * 60 * 1000,
} as const;

/** Earliest accepted event time; earlier epoch values are almost always seconds sent as milliseconds. */
export const EARLIEST_TS = Date.UTC(2000, 0, 1);
