/**
 * The Overview's Product cards: users, DAU, WAU and MAU, the experiment
 * worth a look (a significant winner first) and the most started funnel's
 * conversion, from the Product view's own report (same spec, same worker
 * call), so both read the same. Goals and funnels are fetched from the edge
 * when online with a hand-written shape check (product-kept.ts: the config
 * schemas would bring full zod into the Overview); until then, or offline,
 * the copy the Product view last kept in this browser. With neither, the
 * experiment card says its verdict is by the default goals.
 */
import { createEffect, createSignal, on, onCleanup, Show, type JSX } from "solid-js";
import { Card } from "../components/card.tsx";
import { formatCount, formatInteger, formatPercent } from "../components/format.ts";
import { bestExperiment, funnelConversion, topFunnel, VERDICT_LABEL, type ProductSettings } from "../panels/product.ts";
import { productCardRows } from "../panels/product-tables.ts";
import type { OverviewRow } from "../panels/overview-tables.ts";
import { filtersToParams, type FilterState } from "../routing/filter-state.ts";
import { viewHash, type ViewName } from "../routing/hash-route.ts";
import { OverviewSection } from "./overview-section.tsx";
import { productJob } from "./product-data.ts";
import { createProductRun } from "./product-run.ts";
import { fetchProductSettings, overviewSettings } from "./product-kept.ts";
import { useServices } from "./services.tsx";
import type { WorkspaceSession } from "./workspace-session.ts";

const PRODUCT: ViewName = "product";

export interface OverviewProductProps {
  workspaceId: string;
  session: WorkspaceSession;
  filters: FilterState;
  /** The cards' export rows, for the Overview's export; [] while there are none to show. */
  onRows(rows: OverviewRow[]): void;
}

export function OverviewProduct(props: OverviewProductProps): JSX.Element {
  // the Product view reads track events whatever the type filter; another type chosen means these cards are not wanted
  const shown = () => props.filters.type === null || props.filters.type === "track";
  const [fetched, setFetched] = createSignal<ProductSettings | null>(null);
  let disposed = false;
  onCleanup(() => (disposed = true));
  // once per workspace known (the session loads it), when online: the Product view's settings, not only this browser's kept copy
  createEffect(
    on(
      () => props.session.workspace(),
      (ws) => {
        if (!ws || (typeof navigator !== "undefined" && navigator.onLine === false)) return;
        void fetchProductSettings(ws).then((s) => !disposed && s !== null && setFetched(s));
      },
    ),
  );
  const settings = () => overviewSettings(fetched(), props.workspaceId);
  const run = createProductRun(useServices(), () => (shown() ? productJob(props.session, props.filters, settings().settings) : null));
  const data = run.value;
  const best = () => bestExperiment(data()?.experiments ?? []);
  const top = () => topFunnel(data()?.funnels ?? []);
  const value = (f: (d: NonNullable<ReturnType<typeof data>>) => string) => {
    const d = data();
    return d === undefined ? "…" : f(d);
  };
  createEffect(() => {
    const d = data();
    const t = top();
    props.onRows(shown() && d ? productCardRows(d, best(), t, t ? funnelConversion(t) : NaN) : []);
  });
  onCleanup(() => props.onRows([]));
  const link = () => viewHash(props.workspaceId, PRODUCT, filtersToParams(props.filters));

  return (
    <Show when={shown()}>
      <OverviewSection
        id="product"
        title="Product"
        href={link()}
        linkText="Adoption, experiments, funnels →"
        linkTestId="open-product"
        error={run.error()}
        empty={data()?.events === 0}
        emptyText="No track events in this range."
      >
        <div class="cards" aria-busy={run.pending()}>
          <Card testId="overview-card-users" label="Users" value={value((d) => formatCount(d.users))} title={value((d) => formatInteger(d.users))} loading={!data()} />
          <Card testId="overview-card-dau" label="DAU" value={value((d) => formatCount(d.active.dau))} detail={value((d) => `WAU ${formatCount(d.active.wau)} · MAU ${formatCount(d.active.mau)}`)} loading={!data()} />
          <Show when={best()}>
            {(e) => <Card testId="overview-card-experiment" label={`Experiment ${e().experiment}`} value={VERDICT_LABEL[e().verdict.kind]} detail={settings().defaults ? `By the default goals (open Product for the workspace's own): ${e().verdict.text}` : e().verdict.text} tone={e().verdict.kind === "worse" ? "bad" : "normal"} />}
          </Show>
          <Show when={top()}>
            {(f) => <Card testId="overview-card-funnel" label={`Funnel ${f().name}`} value={formatPercent(funnelConversion(f()))} detail={`of ${formatInteger(f().steps[0]!.users)} who started convert`} />}
          </Show>
        </div>
      </OverviewSection>
    </Show>
  );
}
