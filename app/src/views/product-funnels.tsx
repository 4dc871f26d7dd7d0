/**
 * The Product view's funnels: per funnel its steps as bars (users reaching
 * each, with the share of the first step and the drop-off) and as a table.
 * Renders the worker's report only.
 */
import { For, type JSX } from "solid-js";
import type { FunnelResult } from "../../../shared/product/types.ts";
import { BarList } from "../components/bar-list.tsx";
import { formatInteger, formatPercent } from "../components/format.ts";
import { Table } from "../components/table.tsx";
import { funnelConversion } from "../panels/product.ts";
import { STEP_COLUMNS, type StepRow } from "./product-columns.tsx";

function windowText(hours: number): string {
  return hours % 24 === 0 ? `${formatInteger(hours / 24)} ${hours === 24 ? "day" : "days"}` : `${formatInteger(hours)} ${hours === 1 ? "hour" : "hours"}`;
}

export function FunnelList(props: { funnels: FunnelResult[] }): JSX.Element {
  return (
    <div class="product-funnels">
      <For each={props.funnels}>
        {(f, i) => (
          <article class="product-funnel" aria-labelledby={`funnel-${i()}`} data-testid="product-funnel">
            <h3 id={`funnel-${i()}`} class="product-subtitle">
              <span class="product-name">{f.name}</span>
            </h3>
            <p class="panel-description">
              {formatPercent(funnelConversion(f))} convert from the first step to the last, each within {windowText(f.windowHours)} of the first
            </p>
            <BarList
              testId={`funnel-bars-${i()}`}
              label={`Users reaching each step of ${f.name}`}
              bars={f.steps.map((s, n) => ({
                label: `${n + 1}. ${s.label}`,
                value: s.users,
                display: formatInteger(s.users),
                detail: n === 0 ? "started" : `${formatPercent(s.fromFirst)} of first · ${formatInteger(s.dropOff)} dropped`,
              }))}
            />
            <Table testId={`table-funnel-${i()}`} caption={`Steps of ${f.name}`} columns={STEP_COLUMNS} rows={f.steps.map((s, n): StepRow => ({ ...s, position: n + 1 }))} />
          </article>
        )}
      </For>
    </div>
  );
}
