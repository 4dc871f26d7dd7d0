/** Small factories for hand-built Product fixtures. */
import { encodeBlock, newDictionary, type ColumnBlock, type Dictionary } from "../../../shared/columns.ts";
import type { Props, StoredEvent } from "../../../shared/event.ts";
import { productReport } from "../../../shared/product/index.ts";
import type { ProductReport, ProductSpec } from "../../../shared/product/types.ts";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** A Monday, 00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 2);

let seq = 0;

/** A `track` event named `name` at `ts` (epoch ms) with `props`. */
export function track(ts: number, name: string, props: Props = {}): StoredEvent {
  seq++;
  return { seq, id: `t${seq}`, ts, received_at: ts, type: "track", name, props };
}

/** Events of `user`: [offset from T0 in ms, name, props?]. */
export function journey(user: string | number, steps: [number, string, Props?][]): StoredEvent[] {
  return steps.map(([at, name, props]) => track(T0 + at, name, { user, ...props }));
}

/** The events encoded in blocks of `size`, in the order given. */
export function encode(events: readonly StoredEvent[], size = 1000): { blocks: ColumnBlock[]; dict: Dictionary } {
  const dict = newDictionary();
  const blocks: ColumnBlock[] = [];
  for (let i = 0; i < events.length; i += size) blocks.push(encodeBlock(events.slice(i, i + size), dict));
  return { blocks, dict };
}

/** A spec with no range, no filters and nothing configured, now at `now`. */
export function spec(over: Partial<ProductSpec> = {}): ProductSpec {
  return { filters: [], utcOffsetMinutes: 0, now: T0 + 30 * DAY, experiments: [], funnels: [], ...over };
}

/** productReport over the events, in one or more blocks. */
export function report(events: readonly StoredEvent[], over: Partial<ProductSpec> = {}, blockSize = 1000): ProductReport {
  const { blocks, dict } = encode(events, blockSize);
  return productReport(blocks, dict, spec(over));
}
