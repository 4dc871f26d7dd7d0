/**
 * The event matches of goals and funnel steps (an event name, and props
 * equal as text), evaluated once per event however many goals and steps
 * name it. Each event gets a "combo": the id of the set of matches it
 * satisfies, 0 for none. Combos are few (most events match nothing, and
 * events of one name mostly match the same matches), so a goal or a step
 * then asks one small table per combo instead of testing props per event.
 *
 * Equality is as text, as everywhere in Tally: a number's text is String(n)
 * and a boolean's "true"/"false", which is exactly what encodeBlock stores
 * when such a value lands in a string column; a numeric column equals a text
 * only when that text is String(value).
 */
import { propText, type ColumnBlock, type Dictionary } from "../columns.ts";
import type { EventMatch } from "./types.ts";

// match sets wider than this are keyed by text instead of a bit mask
const MASK_BITS = 30;
// masks below this find their combo in a table rather than a Map: the common case of a few matches per name
const SMALL = 256;

/** One match with its props as texts. */
interface Match {
  name: string;
  props: [key: string, text: string][];
}

/** The matches sharing one event name, and the combos their hit sets make. */
interface NameGroup {
  matches: number[];
  /** Hit-set key (bit mask, or joined indices past MASK_BITS) → combo id. */
  combos: Map<number | string, number>;
  /** Combo of each mask below SMALL, -1 until met. */
  small: Int32Array;
}

/** A stable text for a match: two equal matches get one index. */
export function matchKey(m: EventMatch): string {
  const props = Object.entries(m.props ?? {})
    .map(([k, v]) => [k, propText(v)])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return JSON.stringify([m.name, props]);
}

/** How a match reads: `signup (plan = pro, seats = 3)`. */
export function matchLabel(m: EventMatch): string {
  const props = Object.entries(m.props ?? {});
  return props.length === 0 ? m.name : `${m.name} (${props.map(([k, v]) => `${k} = ${propText(v)}`).join(", ")})`;
}

/** The matches of one report, their combos, and the per-event evaluation; see the file comment. */
export class Matchers {
  private readonly matches: Match[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly groups: NameGroup[] = [];
  /** Combo id → the indices of the matches it satisfies, ascending; combo 0 is the empty set. */
  readonly combos: number[][] = [[]];
  /** Name code → group index, -1 for names no match has. */
  private readonly groupOfName: Int32Array;

  constructor(
    list: readonly EventMatch[],
    private readonly dict: Dictionary,
  ) {
    const byName = new Map<string, number>();
    for (const m of list) {
      const key = matchKey(m);
      if (this.byKey.has(key)) continue;
      const index = this.matches.length;
      this.byKey.set(key, index);
      this.matches.push({ name: m.name, props: Object.entries(m.props ?? {}).map(([k, v]) => [k, propText(v)]) });
      let g = byName.get(m.name);
      if (g === undefined) {
        byName.set(m.name, (g = this.groups.length));
        this.groups.push({ matches: [], combos: new Map(), small: new Int32Array(SMALL).fill(-1) });
      }
      this.groups[g]!.matches.push(index);
    }
    this.groupOfName = new Int32Array(dict.values.length).fill(-1);
    for (const [name, g] of byName) {
      const code = dict.index.get(name);
      if (code !== undefined) this.groupOfName[code] = g;
    }
  }

  /** The index of `m` (given to the constructor), whose hits the combos list. */
  indexOf(m: EventMatch): number {
    const i = this.byKey.get(matchKey(m));
    if (i === undefined) throw new RangeError(`unknown match ${matchKey(m)}`);
    return i;
  }

  /** For each combo, whether it satisfies match `index`. */
  hits(index: number): Uint8Array {
    return Uint8Array.from(this.combos, (c) => (c.includes(index) ? 1 : 0));
  }

  /** Writes the combo of row `rows[k]` of `block` to `out[k]`, for `k` in `0..n`. */
  read(block: ColumnBlock, rows: Int32Array, n: number, out: Int32Array): void {
    const names = block.name;
    const groupOfName = this.groupOfName;
    // per group and match, a test per row: [column kind, column, wanted code or number] per prop
    const tests = this.groups.map((g) => g.matches.map((i) => this.resolve(this.matches[i]!, block)));
    // a group whose matches test no prop in this block (or can never hold in it) has one combo for every row
    const fixed = Int32Array.from(tests, (t, g) => (t.every((p) => p === null || p.length === 0) ? this.comboOf(g, t, 0) : -1));
    for (let k = 0; k < n; k++) {
      const r = rows[k]!;
      const g = groupOfName[names[r]!]!;
      out[k] = g < 0 ? 0 : fixed[g]! >= 0 ? fixed[g]! : this.comboOf(g, tests[g]!, r);
    }
  }

  private comboOf(g: number, tests: (PropTest[] | null)[], r: number): number {
    const group = this.groups[g]!;
    const wide = tests.length > MASK_BITS;
    let mask = 0;
    let hitText = "";
    for (let j = 0; j < tests.length; j++) {
      const t = tests[j]!;
      if (t === null) continue;
      let ok = true;
      for (let q = 0; q < t.length && ok; q++) ok = passes(t[q]!, r);
      if (!ok) continue;
      if (wide) hitText += `${j},`;
      else mask |= 1 << j;
    }
    if (!wide && mask < SMALL) {
      const known = group.small[mask]!;
      if (known >= 0) return known;
      return (group.small[mask] = this.comboOfKey(group, mask));
    }
    return this.comboOfKey(group, wide ? hitText : mask);
  }

  private comboOfKey(group: NameGroup, key: number | string): number {
    let combo = group.combos.get(key);
    if (combo === undefined) {
      combo = key === 0 || key === "" ? 0 : this.combos.length;
      if (combo !== 0) {
        const hit = typeof key === "string" ? new Set(key.split(",").filter((j) => j !== "").map(Number)) : null;
        this.combos.push(group.matches.filter((_, j) => (hit !== null ? hit.has(j) : ((key as number) >> j) & 1)));
      }
      group.combos.set(key, combo);
    }
    return combo;
  }

  // null: the match can never hold in this block (a prop it needs is missing, or a text never stored)
  private resolve(m: Match, block: ColumnBlock): PropTest[] | null {
    const out: PropTest[] = [];
    for (const [key, text] of m.props) {
      const col = block.props[key];
      if (col === undefined) return null;
      if (col.kind === "str") {
        const code = this.dict.index.get(text);
        if (code === undefined) return null;
        out.push({ codes: col.codes, code, values: null, value: 0 });
      } else {
        const value = Number(text);
        if (String(value) !== text) return null; // no number has this text
        out.push({ codes: null, code: 0, values: col.values, value });
      }
    }
    return out;
  }
}

/** One prop equality in one block: a code in a string column, or a number in a numeric one. */
interface PropTest {
  codes: Int32Array | null;
  code: number;
  values: Float64Array | null;
  value: number;
}

function passes(p: PropTest, r: number): boolean {
  return p.codes !== null ? p.codes[r] === p.code : p.values![r] === p.value;
}
