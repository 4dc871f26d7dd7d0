/**
 * The Product view's data module: the spec for the worker (range and prop
 * filters from the bar, the workspace's experiment and funnel settings) and
 * a run of it, in the manner of panel-run.ts: re-run whenever the spec or
 * the data changes, the last report kept on screen meanwhile, a late answer
 * to an outdated spec dropped. Every number is the worker's (shared
 * productReport); nothing here looks at events.
 */
import { createEffect, createMemo, createSignal, type Accessor } from "solid-js";
import type { ProductReport, ProductSpec } from "../../../shared/product/types.ts";
import type { Query } from "../../../shared/query.ts";
import { productSpec, type ProductSettings } from "../panels/product.ts";
import { propFilters, type FilterState } from "../routing/filter-state.ts";
import type { Job } from "./panel-run.ts";
import type { Services } from "./services.tsx";
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

export interface ProductRun {
  /** The latest report; undefined until the first arrives. */
  value: Accessor<ProductReport | undefined>;
  pending: Accessor<boolean>;
  error: Accessor<string | null>;
}

export function createProductRun(services: Services, job: Accessor<ProductJob | null>): ProductRun {
  const [value, setValue] = createSignal<ProductReport>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const current = createMemo(job, null, { equals: (a, b) => a?.key === b?.key });
  let latest = 0;

  createEffect(() => {
    const j = current();
    if (j === null) return;
    const mine = ++latest;
    setPending(true);
    services.aggregator.product(j.spec).then(
      (report) => {
        if (mine !== latest) return;
        setValue(() => report);
        setError(null);
        setPending(false);
      },
      (err: unknown) => {
        if (mine !== latest) return;
        setError(err instanceof Error ? err.message : String(err));
        setPending(false);
      },
    );
  });

  return { value, pending, error };
}
