/**
 * The per-user pass every Product figure is computed from: `track` events (filters applied, through the engine's own
 * selection, so a filter means what it means in every chart) gathered into
 * flat typed arrays, grouped by user, each user's events ordered by
 * (ts, stored order). No event objects: per event, a time, its stored
 * position, its goal/step combo (matchers.ts), its feature, experiment and
 * variant ids and a few flags.
 *
 * Which events: every stored one before the range's end (all of them with no
 * range), not only those in the range, because segments and the active-user
 * counts look back from the end regardless of where the range starts, and
 * adoption compares with the period before the range; the IN_RANGE and
 * PREVIOUS flags mark the events inside those. Events without a `user` are
 * counted (in range) and otherwise dropped.
 *
 * How: one pass reads each event's user id (text-ids.ts) and counts events
 * per user; a prefix sum gives each user's slice; a second pass writes each
 * event into its user's slice (a counting sort, stable, so a slice is in
 * stored order). It writes each event as one 32-byte record (RECORD), so the
 * random write of an event touches one cache line rather than one per field
 * (writing seven arrays at random positions was the slowest step of the
 * report). A slice of records is then sorted by time only when it is not
 * already, by insertion for short ones, and a sequential pass splits the
 * records into the per-field arrays every reader loops over. Work arrays come
 * from an arena kept between runs; at a million events it keeps all but the
 * time array within its budget.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import { Arena, matchingRows } from "../engine/index.ts";
import type { Filter } from "../query.ts";
import type { Matchers } from "./matchers.ts";
import { TextIds } from "./text-ids.ts";

/** Flag: the event's time is within the range. */
export const IN_RANGE = 1;
/** Flag: the event has both `experiment` and `variant`, so it exposes its user. */
export const EXPOSURE = 2;
/** Flag: the event's `converted` prop is true (boolean, or the text "true"). */
export const CONVERTED = 4;
/** Flag: the event's time is within the period of equal length just before the range. */
export const PREVIOUS = 8;

/** Users' events in flat arrays: user `u`'s are at positions `start[u]` to `start[u + 1]`, by (ts, stored order). */
export interface UserEvents {
  /** Selected events in the range, with or without a user. */
  events: number;
  /** Users with any gathered event (not necessarily in the range); ids `0..users`. */
  users: number;
  start: Int32Array;
  ts: Float64Array;
  /** Position in stored order among all selected events: ties on ts break by it. */
  pos: Int32Array;
  /** Goal/step combo (matchers.ts), 0 for none. */
  combo: Int32Array;
  /** Id of the `feature` prop's text in {@link features}, -1 when absent. */
  feature: Int32Array;
  /** Id of the `experiment` prop's text in {@link experiments}, -1 when absent. */
  experiment: Int32Array;
  /** Id of the `variant` prop's text in {@link variants}, -1 when absent. */
  variant: Int32Array;
  /** IN_RANGE | EXPOSURE | CONVERTED | PREVIOUS. */
  flags: Uint8Array;
  features: TextIds;
  experiments: TextIds;
  variants: TextIds;
}

/** What the pass reads: the view's range and filters. */
export interface UserEventsSelection {
  range?: { from: number; to: number } | undefined;
  filters: readonly Filter[];
}

// the arrays of a run are the next run's: see arena.ts in the engine
const arena = new Arena();

/**
 * Doubles per event record while scattering: ts, then as int32 pairs
 * (pos, combo), (feature, experiment), (variant, flags).
 */
const RECORD = 4;

/**
 * Gathers the users' events; see the file comment. The arrays returned live
 * until the next call: read them before calling again.
 */
export function gatherUserEvents(blocks: readonly ColumnBlock[], dict: Dictionary, selection: UserEventsSelection, matchers: Matchers): UserEvents {
  arena.reset();
  const from = selection.range?.from ?? -Infinity;
  const to = selection.range?.to ?? Infinity;
  const rows = matchingRows(blocks, dict, {
    types: ["track"],
    filters: [...selection.filters],
    ...(selection.range !== undefined ? { range: { from: -Infinity, to } } : {}),
  });
  let total = 0;
  let longest = 0;
  for (const r of rows) {
    total += r.length;
    longest = Math.max(longest, r.length);
  }

  // pass 1: user ids, events per user
  const users = new TextIds(dict);
  const uid = arena.take("i32", total);
  let events = 0;
  for (let b = 0, at = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const n = rows[b]!.length;
    users.read(block.props["user"], rows[b]!, n, uid.subarray(at, at + n));
    events += countInRange(block.ts, rows[b]!, n, from, to);
    at += n;
  }
  const u = users.size;
  const start = arena.take("i32", u + 1).fill(0);
  for (let j = 0; j < total; j++) start[uid[j]! + 1]!++; // no user (-1) lands in slot 0, reset next
  start[0] = 0;
  for (let k = 0; k < u; k++) start[k + 1]! += start[k]!;
  const n = start[u]!;

  // pass 2: each event's fields into its user's slice
  // records first among the f64 arrays: the arena keeps its earliest buffers when over budget
  const records = arena.take("f64", RECORD * n);
  const out: UserEvents = {
    events,
    users: u,
    start,
    ts: arena.take("f64", n),
    pos: arena.take("i32", n),
    combo: arena.take("i32", n),
    feature: arena.take("i32", n),
    experiment: arena.take("i32", n),
    variant: arena.take("i32", n),
    flags: arena.take("u8", n),
    features: new TextIds(dict),
    experiments: new TextIds(dict),
    variants: new TextIds(dict),
  };
  const cursor = arena.take("i32", u);
  cursor.set(start.subarray(0, u));
  const scratch = { combo: arena.take("i32", longest), feature: arena.take("i32", longest), experiment: arena.take("i32", longest), variant: arena.take("i32", longest) };
  const trueCode = dict.index.get("true") ?? -2;
  for (let b = 0, at = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const r = rows[b]!;
    const count = r.length;
    matchers.read(block, r, count, scratch.combo);
    out.features.read(block.props["feature"], r, count, scratch.feature);
    out.experiments.read(block.props["experiment"], r, count, scratch.experiment);
    out.variants.read(block.props["variant"], r, count, scratch.variant);
    const converted = block.props["converted"];
    const convertedCodes = converted?.kind === "str" ? converted.codes : null;
    scatter(block.ts, r, count, at, uid, cursor, from, to, convertedCodes, trueCode, scratch, records);
    at += count;
  }
  sortRecords(records, start, u);
  split(records, out, n);
  return out;
}

function countInRange(ts: Float64Array, rows: Int32Array, n: number, from: number, to: number): number {
  let c = 0;
  for (let k = 0; k < n; k++) {
    const t = ts[rows[k]!]!;
    c += +(t >= from) & +(t < to);
  }
  return c;
}

function scatter(
  ts: Float64Array,
  rows: Int32Array,
  n: number,
  at: number,
  uid: Int32Array,
  cursor: Int32Array,
  from: number,
  to: number,
  convertedCodes: Int32Array | null,
  trueCode: number,
  scratch: { combo: Int32Array; feature: Int32Array; experiment: Int32Array; variant: Int32Array },
  records: Float64Array,
): void {
  const ints = new Int32Array(records.buffer, records.byteOffset, records.length * 2);
  const { combo, feature, experiment, variant } = scratch;
  // the period before the range: [from − (to − from), from); none without a range
  const before = from - (to - from);
  for (let k = 0; k < n; k++) {
    const u = uid[at + k]!;
    if (u < 0) continue;
    const r = rows[k]!;
    const d = cursor[u]!++;
    const t = ts[r]!;
    const x = experiment[k]!;
    const o = 2 * RECORD * d;
    records[RECORD * d] = t;
    ints[o + 2] = at + k;
    ints[o + 3] = combo[k]!;
    ints[o + 4] = feature[k]!;
    ints[o + 5] = x;
    ints[o + 6] = variant[k]!;
    ints[o + 7] =
      (+(t >= from) & +(t < to)) |
      (x >= 0 && variant[k]! >= 0 ? EXPOSURE : 0) |
      (convertedCodes !== null && convertedCodes[r] === trueCode ? CONVERTED : 0) |
      (t >= before && t < from ? PREVIOUS : 0);
  }
}

/** Copies the records' fields, in order, to the per-field arrays. */
function split(records: Float64Array, out: UserEvents, n: number): void {
  const ints = new Int32Array(records.buffer, records.byteOffset, records.length * 2);
  const { ts, pos, combo, feature, experiment, variant, flags } = out;
  for (let d = 0; d < n; d++) {
    const o = 2 * RECORD * d;
    ts[d] = records[RECORD * d]!;
    pos[d] = ints[o + 2]!;
    combo[d] = ints[o + 3]!;
    feature[d] = ints[o + 4]!;
    experiment[d] = ints[o + 5]!;
    variant[d] = ints[o + 6]!;
    flags[d] = ints[o + 7]!;
  }
}

/**
 * Sorts each user's records by ts where they are not in time order already
 * (a slice is in stored order, and most are in time order too); stable, so
 * ties keep stored order. Records move as int32s: their int fields seen as
 * doubles may be NaN bit patterns, which a double copy need not keep.
 */
function sortRecords(records: Float64Array, start: Int32Array, users: number): void {
  const ints = new Int32Array(records.buffer, records.byteOffset, records.length * 2);
  let longest = 0;
  for (let u = 0; u < users; u++) longest = Math.max(longest, start[u + 1]! - start[u]!);
  const work = { order: arena.take("i32", longest), ts: arena.take("f64", longest), moved: arena.take("i32", 2 * RECORD * longest) };
  for (let u = 0; u < users; u++) {
    const s = start[u]!;
    const e = start[u + 1]!;
    for (let i = s + 1; i < e; i++) {
      if (records[RECORD * i]! < records[RECORD * (i - 1)]!) {
        sortSlice(records, ints, s, e, work);
        break;
      }
    }
  }
}

function sortSlice(records: Float64Array, ints: Int32Array, s: number, e: number, work: { order: Int32Array; ts: Float64Array; moved: Int32Array }): void {
  const len = e - s;
  const { order, ts, moved } = work;
  for (let i = 0; i < len; i++) {
    order[i] = i;
    ts[i] = records[RECORD * (s + i)]!;
  }
  if (len <= 32) {
    for (let i = 1; i < len; i++) {
      const o = order[i]!;
      const t = ts[o]!;
      let j = i - 1;
      while (j >= 0 && ts[order[j]!]! > t) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = o;
    }
  } else {
    // Array sort is stable, so equal times keep stored order
    order.set(Array.from(order.subarray(0, len)).sort((a, b) => ts[a]! - ts[b]!));
  }
  const width = 2 * RECORD;
  for (let i = 0; i < len; i++) {
    const from = width * (s + order[i]!);
    const to = width * i;
    for (let q = 0; q < width; q++) moved[to + q] = ints[from + q]!;
  }
  ints.set(moved.subarray(0, width * len), width * s);
}
