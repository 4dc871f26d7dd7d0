/**
 * Runs the Product view's spec in the aggregation worker, in the manner of
 * panel-run.ts: again whenever the job's key changes, the last report kept
 * on screen meanwhile (live updates never flash a loading state), a late
 * answer to an outdated spec dropped.
 */
import { createEffect, createMemo, createSignal, type Accessor } from "solid-js";
import type { ProductReport } from "../../../shared/product/types.ts";
import type { ProductJob } from "./product-data.ts";
import type { Services } from "./services.tsx";

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
