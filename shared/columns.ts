/**
 * Columnar event blocks: the layout every chart is computed from. Strings are
 * dictionary-encoded against one append-only dictionary per workspace, so codes
 * compare across blocks; numbers live in Float64Arrays with NaN for "absent".
 * A block holds a few thousand events and is what the app stores as one
 * IndexedDB segment and hands to the engine.
 */
import { EVENT_TYPES, type EventType, type PropValue, type StoredEvent } from "./event.ts";

/** Append-only string dictionary of a workspace: code → string. */
export interface Dictionary {
  values: string[];
  index: Map<string, number>;
}

/** A prop's values in one block: numbers, or dictionary codes (booleans as "true"/"false"). */
export type PropColumn = { kind: "num"; values: Float64Array } | { kind: "str"; codes: Int32Array };

/** Code for "no value" in string columns. */
export const ABSENT = -1;

/**
 * A block of events in columns; every array has `length` entries, in `seq`
 * order. A block loaded for queries alone may leave `seq`, `receivedAt` and
 * `ids` empty: the engine never reads them.
 */
export interface ColumnBlock {
  length: number;
  seq: Float64Array;
  ts: Float64Array;
  receivedAt: Float64Array;
  /** Index into {@link EVENT_TYPES}. */
  type: Uint8Array;
  /** Dictionary code of the event name. */
  name: Int32Array;
  /** Event ids, kept apart from the dictionary: they are unique, so encoding them would only grow it. */
  ids: string[];
  props: Record<string, PropColumn>;
  /**
   * What each value of a string column was sent as, for export alone (the
   * engine compares text): see {@link TEXT_KIND}. Only for string columns
   * holding a number or a boolean; absent where a block was loaded without
   * its details, or stored before kinds were kept (its values read as text).
   */
  textKinds?: Record<string, Uint8Array>;
}

/** The kind a string column's value was sent as: text, a number, or a boolean ("true"/"false"). */
export const TEXT_KIND = { text: 0, number: 1, boolean: 2 } as const;

export function newDictionary(values: string[] = []): Dictionary {
  return { values, index: new Map(values.map((v, i) => [v, i])) };
}

/** The code of `value`, adding it to the dictionary when new. */
export function encode(dict: Dictionary, value: string): number {
  let code = dict.index.get(value);
  if (code === undefined) {
    code = dict.values.length;
    dict.values.push(value);
    dict.index.set(value, code);
  }
  return code;
}

/** The dictionary text of a prop value stored in a string column. */
export function propText(value: PropValue): string {
  return typeof value === "string" ? value : String(value);
}

export function typeCode(type: EventType): number {
  return EVENT_TYPES.indexOf(type);
}

/**
 * Encodes events (in seq order) as one block. A prop whose values in this
 * block are all numbers becomes a numeric column; otherwise a string column.
 */
export function encodeBlock(events: readonly StoredEvent[], dict: Dictionary): ColumnBlock {
  const n = events.length;
  const block: ColumnBlock = {
    length: n,
    seq: new Float64Array(n),
    ts: new Float64Array(n),
    receivedAt: new Float64Array(n),
    type: new Uint8Array(n),
    name: new Int32Array(n),
    ids: new Array<string>(n),
    props: {},
  };
  const numeric = new Map<string, boolean>();
  for (const e of events) {
    for (const key in e.props) numeric.set(key, (numeric.get(key) ?? true) && typeof e.props[key] === "number");
  }
  for (const [key, isNum] of numeric) {
    block.props[key] = isNum ? { kind: "num", values: new Float64Array(n).fill(NaN) } : { kind: "str", codes: new Int32Array(n).fill(ABSENT) };
  }
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    block.seq[i] = e.seq;
    block.ts[i] = e.ts;
    block.receivedAt[i] = e.received_at;
    block.type[i] = typeCode(e.type);
    block.name[i] = encode(dict, e.name);
    block.ids[i] = e.id;
    for (const key in e.props) {
      const col = block.props[key]!;
      const value = e.props[key]!;
      if (col.kind === "num") col.values[i] = value as number;
      else {
        col.codes[i] = encode(dict, propText(value));
        // a number or boolean in a text column keeps its kind, so an export gives back what was sent
        if (typeof value !== "string") textKindsOf(block, key)[i] = typeof value === "number" ? TEXT_KIND.number : TEXT_KIND.boolean;
      }
    }
  }
  return block;
}

function textKindsOf(block: ColumnBlock, key: string): Uint8Array {
  const kinds = (block.textKinds ??= {});
  return (kinds[key] ??= new Uint8Array(block.length));
}

/** A prop value as sent: the text of a string column read back as the number or boolean it was. */
function typedText(text: string, kind: number | undefined): PropValue {
  if (kind === TEXT_KIND.number) return Number(text);
  if (kind === TEXT_KIND.boolean) return text === "true";
  return text;
}

/** Decodes row `i` of a block back to an event (for export and tests). */
export function decodeRow(block: ColumnBlock, i: number, dict: Dictionary): StoredEvent {
  const props: Record<string, PropValue> = {};
  for (const key in block.props) {
    const col = block.props[key]!;
    if (col.kind === "num") {
      const v = col.values[i]!;
      if (!Number.isNaN(v)) props[key] = v;
    } else {
      const c = col.codes[i]!;
      if (c !== ABSENT) props[key] = typedText(dict.values[c]!, block.textKinds?.[key]?.[i]);
    }
  }
  return {
    seq: block.seq[i]!,
    id: block.ids[i]!,
    ts: block.ts[i]!,
    received_at: block.receivedAt[i]!,
    type: EVENT_TYPES[block.type[i]!]!,
    name: dict.values[block.name[i]!]!,
    props,
  };
}

/**
 * The string column a numeric column becomes when it has to share a column
 * with text: each number as its text `String(n)`, exactly what
 * {@link encodeBlock} stores for a number that lands in a string column; NaN
 * ("absent") becomes {@link ABSENT}. New texts are added to `dict`.
 */
export function numToStrColumn(values: Float64Array, dict: Dictionary): Int32Array {
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    codes[i] = Number.isNaN(v) ? ABSENT : encode(dict, String(v));
  }
  return codes;
}

/**
 * Joins blocks, given in seq order, into one new block; the inputs are not
 * changed. A prop numeric in every block that has it stays numeric; a prop
 * numeric in some blocks and text in others becomes a string column (see
 * {@link numToStrColumn}, which may add texts to `dict`), so the result reads
 * the same as encoding all the events at once. Ids are joined when every block
 * carries them (`ids.length === length`); otherwise the result has none
 * (`ids.length === 0`), for callers that keep ids apart.
 */
export function concatBlocks(blocks: readonly ColumnBlock[], dict: Dictionary): ColumnBlock {
  let n = 0;
  let withIds = true;
  const kinds = new Map<string, PropColumn["kind"]>();
  for (const b of blocks) {
    n += b.length;
    if (b.seq.length !== b.length || b.receivedAt.length !== b.length) throw new RangeError("concatBlocks needs blocks with their seqs and receive times");
    if (b.ids.length !== b.length) withIds = false;
    for (const key in b.props) {
      const kind = b.props[key]!.kind;
      kinds.set(key, kinds.get(key) === "str" ? "str" : kind);
    }
  }
  const out: ColumnBlock = {
    length: n,
    seq: new Float64Array(n),
    ts: new Float64Array(n),
    receivedAt: new Float64Array(n),
    type: new Uint8Array(n),
    name: new Int32Array(n),
    ids: withIds ? new Array<string>(n) : [],
    props: {},
  };
  for (const [key, kind] of kinds) {
    out.props[key] = kind === "num" ? { kind, values: new Float64Array(n).fill(NaN) } : { kind, codes: new Int32Array(n).fill(ABSENT) };
  }
  let at = 0;
  for (const b of blocks) {
    out.seq.set(b.seq, at);
    out.ts.set(b.ts, at);
    out.receivedAt.set(b.receivedAt, at);
    out.type.set(b.type, at);
    out.name.set(b.name, at);
    if (withIds) for (let i = 0; i < b.length; i++) out.ids[at + i] = b.ids[i]!;
    for (const key in b.props) {
      const from = b.props[key]!;
      const to = out.props[key]!;
      // a numeric output column means every input column of that prop is numeric
      if (to.kind === "num") {
        if (from.kind === "num") to.values.set(from.values, at);
      } else if (from.kind === "str") {
        to.codes.set(from.codes, at);
        const sent = b.textKinds?.[key];
        if (sent !== undefined) textKindsOf(out, key).set(sent, at);
      } else {
        to.codes.set(numToStrColumn(from.values, dict), at);
        // numbers that now share a column with text are still numbers
        const sent = textKindsOf(out, key);
        for (let i = 0; i < b.length; i++) if (!Number.isNaN(from.values[i]!)) sent[at + i] = TEXT_KIND.number;
      }
    }
    at += b.length;
  }
  return out;
}

/** A block's text kinds for the rows `pick` names, in that order (a block's subset, as retention keeps it). */
export function pickTextKinds(kinds: ColumnBlock["textKinds"], pick: (from: Uint8Array) => Uint8Array): ColumnBlock["textKinds"] {
  if (kinds === undefined) return undefined;
  const out: Record<string, Uint8Array> = {};
  for (const key in kinds) out[key] = pick(kinds[key]!);
  return out;
}
