/**
 * Work arrays reused from run to run. A run over a million events needs tens
 * of megabytes of row indices, key ids and gathered values; allocating them
 * afresh each time made V8 run full collections (external memory pressure),
 * and a full collection has to mark every event id string in the workspace,
 * which cost more than the queries themselves. An arena hands the same
 * buffers out again on the next run: the i-th request of a kind in a run gets
 * the i-th buffer, grown when too small. Contents are left over, never zeroed.
 * Between runs it keeps at most {@link RETAINED_BYTES}, so one unusual run
 * (many panels, each filtered its own way) does not hold memory for good.
 */

type Kind = "f64" | "i32" | "u16" | "u8";
type ArrayOf<K extends Kind> = K extends "f64" ? Float64Array : K extends "i32" ? Int32Array : K extends "u16" ? Uint16Array : Uint8Array;

/** What an arena keeps between runs: enough for the Traffic view over about 1.5 million events. */
export const RETAINED_BYTES = 64 * 1024 * 1024;

const MAKE = {
  f64: (n: number) => new Float64Array(n),
  i32: (n: number) => new Int32Array(n),
  u16: (n: number) => new Uint16Array(n),
  u8: (n: number) => new Uint8Array(n),
};

/**
 * Reusable work arrays; see the file comment. The Traffic view asks for
 * about 40 bytes per event.
 */
export class Arena {
  private readonly pools: { [K in Kind]: ArrayOf<K>[] } = { f64: [], i32: [], u16: [], u8: [] };
  private readonly used: Record<Kind, number> = { f64: 0, i32: 0, u16: 0, u8: 0 };
  private readonly roles = new Map<string, Float64Array | Int32Array | Uint16Array | Uint8Array>();

  /** Starts a run: every buffer may be handed out again, and those past the retained budget are let go. */
  reset(): void {
    this.used.f64 = this.used.i32 = this.used.u16 = this.used.u8 = 0;
    let bytes = 0;
    for (const buf of this.roles.values()) bytes += buf.byteLength;
    for (const kind of ["i32", "f64", "u16", "u8"] as const) {
      const pool = this.pools[kind];
      let keep = 0;
      while (keep < pool.length && bytes + pool[keep]!.byteLength <= RETAINED_BYTES) bytes += pool[keep++]!.byteLength;
      pool.length = keep;
    }
  }

  /** A buffer of `n` entries for the rest of the run. */
  take<K extends Kind>(kind: K, n: number): ArrayOf<K> {
    const pool = this.pools[kind] as ArrayOf<K>[];
    const i = this.used[kind]++;
    let buf = pool[i];
    if (buf === undefined || buf.length < n) pool[i] = buf = MAKE[kind](n) as ArrayOf<K>;
    return buf.subarray(0, n) as ArrayOf<K>;
  }

  /** A buffer of `n` entries for one step: the next request for the same role gets the same memory. */
  scratch<K extends Kind>(kind: K, role: string, n: number): ArrayOf<K> {
    const key = `${kind}:${role}`;
    let buf = this.roles.get(key) as ArrayOf<K> | undefined;
    if (buf === undefined || buf.length < n) this.roles.set(key, (buf = MAKE[kind](n) as ArrayOf<K>));
    return buf.subarray(0, n) as ArrayOf<K>;
  }
}
