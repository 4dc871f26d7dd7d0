/** Small factories for hand-built coverage workspaces. */
import type { EventType, Props, StoredEvent } from "../../../shared/event.ts";

let seq = 0;

/** A stored event at `ts` (ISO text or epoch ms). */
export function event(type: EventType, ts: string | number, props: Props = {}, name = `${type} ${seq + 1}`): StoredEvent {
  const ms = typeof ts === "number" ? ts : Date.parse(ts);
  seq++;
  return { seq, id: `e${seq}`, ts: ms, received_at: ms, type, name, props };
}

/** A test case run; `name` is the test's name. */
export const test = (ts: string | number, props: Props, name = "a test"): StoredEvent => event("test", ts, props, name);
export const request = (ts: string | number, props: Props): StoredEvent => event("request", ts, props, `${props.method ?? ""} ${props.endpoint ?? ""}`);
export const mock = (ts: string | number, props: Props, name = `${props.method ?? ""} ${props.endpoint ?? ""}`): StoredEvent => event("mock", ts, props, name);

export const DAY = 86_400_000;
