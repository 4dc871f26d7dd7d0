/**
 * Runs the Product view's spec in the aggregation worker, as panel-run.ts
 * runs panels' queries: again whenever the job's key changes, the last
 * report kept on screen meanwhile, a late answer to an outdated spec dropped.
 */
import type { Accessor } from "solid-js";
import type { ProductReport } from "../../../shared/product/types.ts";
import { createKeyedRun, type PanelRun } from "./panel-run.ts";
import type { ProductJob } from "./product-data.ts";
import type { Services } from "./services.tsx";

export type ProductRun = PanelRun<ProductReport>;

export function createProductRun(services: Services, job: Accessor<ProductJob | null>): ProductRun {
  return createKeyedRun(job, (j) => services.aggregator.product(j.spec));
}
