/**
 * Running queries: select the rows, group them, measure the groups, order
 * and cut. Several queries over the same rows (the panels of one view share
 * range, types and filters) select those rows once and share key ids.
 */
import type { ColumnBlock, Dictionary } from "../columns.ts";
import type { Query, QueryResult } from "../query.ts";
import { Arena } from "./arena.ts";
import { Context, type Selection } from "./context.ts";
import { countLabels, countOnlyDim } from "./count-labels.ts";
import { groupRows } from "./group.ts";
import { computeMeasures } from "./measures.ts";
import { orderGroups, takeRows } from "./order.ts";
import { narrow, selectRows } from "./select.ts";

// work arrays outlive a run so that the next one allocates nothing large (see arena.ts)
const sharedArena = new Arena();

/**
 * Runs one query over columnar blocks. `dict` must be the dictionary the
 * blocks' codes refer to. Reads the blocks and changes nothing; the result
 * shares no memory with them or with later runs.
 *
 * @throws RangeError when `orderBy.measure` names no measure.
 */
export function runQuery(blocks: readonly ColumnBlock[], dict: Dictionary, query: Query): QueryResult {
  return runQueries(blocks, dict, [query])[0]!;
}

/**
 * Runs several queries over the same blocks, sharing the row selection
 * between queries that filter alike, and key ids between those that group
 * alike. `arena` is where work arrays come from; by default one kept by this
 * module for all runs. `each` lets a caller pass results on one by one (a
 * view draws its first panels while the others compute).
 */
export function runQueries(
  blocks: readonly ColumnBlock[],
  dict: Dictionary,
  queries: readonly Query[],
  arena: Arena = sharedArena,
  /** Called with each result as soon as it is computed, before the next query runs. */
  each?: (index: number, result: QueryResult) => void,
): QueryResult[] {
  arena.reset();
  const ctx = new Context(blocks, dict, arena);
  const selections = new Map<string, Selection>();
  return queries.map((query, i) => {
    const filters = query.filters ?? [];
    const baseKey = JSON.stringify([query.range ?? null, query.types ?? null]);
    const key = filters.length === 0 ? baseKey : `${baseKey}${JSON.stringify(filters)}`;
    let sel = selections.get(key);
    if (sel === undefined) {
      // narrow an unfiltered selection when there is one; otherwise scan, filtering as it goes
      const base = selections.get(baseKey);
      sel = base !== undefined && filters.length > 0 ? narrow(ctx, base, filters) : selectRows(ctx, query, filters);
      selections.set(key, sel);
    }
    const offsetMs = (query.utcOffsetMinutes ?? 0) * 60_000;
    const groupBy = query.groupBy ?? [];
    const counted = countOnlyDim(query);
    const groups = counted !== null ? countLabels(ctx, sel, counted) : groupRows(ctx, sel, groupBy, offsetMs);
    const measures = computeMeasures(ctx, sel, groups.gid, groups.counts, query.measures);
    const order = orderGroups(groups.keys, measures, groups.size, query);
    const result = takeRows(groups.keys, measures, order, sel.count);
    each?.(i, result);
    return result;
  });
}
