/**
 * The Product view's data module: the spec for the worker (range and prop
 * filters from the bar, the workspace's experiment and funnel settings),
 * keyed so that it is sent again only for new data, a moved "now" or other
 * filters; product-run.ts runs it. Every number is the worker's (shared
 * productReport); nothing here looks at events.
 */
import type { ProductSpec } from "../../../shared/product/types.ts";
import type { Query } from "../../../shared/query.ts";
import { productSpec, type ProductSettings } from "../panels/product.ts";
import { propFilters, type FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import { timeContext } from "./view-context.ts";
import type { WorkspaceSession } from "./workspace-session.ts";

export interface ProductJob {
  /** Equal keys mean equal reports: the spec is not sent again. */
  key: string;
  spec: ProductSpec;
}

/** Null until the stored events are loaded and the settings are known (fetched, kept, or known to be unavailable). */
export function productJob(session: WorkspaceSession, filters: FilterState, settings: ProductSettings | null): ProductJob | null {
  if (session.dataset() === null || settings === null) return null;
  const version = session.version();
  const ctx = timeContext(session, filters, ["track"]);
  // now moves every minute: DAU, WAU, MAU and the segments count back from it
  const spec = productSpec({ range: ctx.selection.range, filters: propFilters(filters), offsetMinutes: ctx.offsetMinutes, now: session.now(), settings });
  return { key: JSON.stringify([version, spec]), spec };
}

/** Track events stored at all, whatever the range and filters: tells "none yet" from "none in this range". */
const STORED_TRACK: Query = { types: ["track"], measures: [{ fn: "count" }] };

export function storedTrackJob(session: WorkspaceSession): Job<number> | null {
  if (session.dataset() === null) return null;
  return { key: JSON.stringify([session.version()]), queries: [STORED_TRACK], read: (results) => results[0]?.matched ?? 0 };
}
