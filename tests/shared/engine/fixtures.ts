/** Small factories for hand-built engine fixtures. */
import { encodeBlock, newDictionary, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import type { EventType, Props, StoredEvent } from "../../../shared/event.ts";

let seq = 0;

/** A stored event at `ts` (ISO text or epoch ms) with `props`. */
export function ev(ts: string | number, props: Props = {}, type: EventType = "request", name = "GET /x"): StoredEvent {
  const ms = typeof ts === "number" ? ts : Date.parse(ts);
  seq++;
  return { seq, id: `e${seq}`, ts: ms, received_at: ms, type, name, props };
}

/** Events encoded as blocks: one block per inner array. */
export function blocksOf(...groups: StoredEvent[][]): { blocks: ColumnBlock[]; dict: Dictionary } {
  const dict = newDictionary();
  return { blocks: groups.map((g) => encodeBlock(g, dict)), dict };
}
