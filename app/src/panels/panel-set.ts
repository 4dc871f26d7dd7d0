/**
 * A view's panels as named queries: the view builds them all from its
 * context, sends them to the aggregator in one `run` call, and gets the
 * results back by name.
 */
import type { Query, QueryResult } from "../../../shared/query.ts";

/** Named query builders over a view's context. */
export type PanelDefs<C> = Record<string, (ctx: C) => Query>;

/** Results by panel name. */
export type PanelResults<P> = { [K in keyof P]: QueryResult };

/** The queries of every panel, in a fixed order, and a function that names their results. */
export function buildPanels<C, P extends PanelDefs<C>>(defs: P, ctx: C): { queries: Query[]; name(results: QueryResult[]): PanelResults<P> } {
  const names = Object.keys(defs) as (keyof P & string)[];
  return {
    queries: names.map((n) => defs[n]!(ctx)),
    name(results) {
      const out = {} as PanelResults<P>;
      names.forEach((n, i) => {
        out[n] = results[i]!;
      });
      return out;
    },
  };
}
