/**
 * Integer keys to small dense ids, in first-seen order. Keys that cluster
 * (hour indices of a month, HTTP statuses) hit an offset table, one array read
 * per row; the table grows to cover new keys and, once it would get too
 * sparse, further keys go to a Map, as do non-integers (NaN included).
 */

// past this span (and 4x the keys seen) a Map is cheaper than a mostly empty table
const MAX_SPAN = 1 << 22;

/** First-seen dense ids for integer keys; see the file comment. */
export class IntKeys {
  /** Dense id → key. */
  readonly keys: number[] = [];
  private lo = 0;
  private table = new Int32Array(0);
  private map: Map<number, number> | null = null;

  /** The dense id of `key`, assigning the next one when it is new. */
  id(key: number): number {
    const i = key - this.lo;
    if (i >= 0 && i < this.table.length) {
      const id = this.table[i]!;
      if (id >= 0) return id;
    }
    return this.slow(key);
  }

  private slow(key: number): number {
    const known = this.map?.get(key);
    if (known !== undefined) return known;
    const id = this.keys.length;
    this.keys.push(key);
    if (this.cover(key)) this.table[key - this.lo] = id;
    else (this.map ??= new Map()).set(key, id);
    return id;
  }

  // grows the table to hold `key` when that keeps it dense enough; false leaves the key to the Map
  private cover(key: number): boolean {
    if (!Number.isInteger(key)) return false;
    const size = this.table.length;
    if (size > 0 && key >= this.lo && key < this.lo + size) return true;
    if (size === 0) {
      this.lo = key - 32;
      this.table = new Int32Array(128).fill(-1);
      return true;
    }
    const lo = Math.min(this.lo, key);
    const span = Math.max(this.lo + size, key + 1) - lo;
    if (span > MAX_SPAN && span > 4 * this.keys.length) return false;
    // double in the direction of growth so that a run of new keys costs amortized O(1)
    const grown = Math.max(span, 2 * size);
    const newLo = key < this.lo ? this.lo + size - grown : lo;
    const table = new Int32Array(grown).fill(-1);
    table.set(this.table, this.lo - newLo);
    this.lo = newLo;
    this.table = table;
    return true;
  }
}
