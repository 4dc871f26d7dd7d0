/**
 * The Product view's experiments: per experiment its goal, the verdict in
 * words, and a table of variants against the control. Renders the worker's
 * report only; the statistics are shared/product's.
 */
import { For, type JSX } from "solid-js";
import type { ExperimentResult, VerdictKind } from "../../../shared/product/types.ts";
import { formatInteger } from "../components/format.ts";
import { Table } from "../components/table.tsx";
import { VERDICT_LABEL } from "../panels/product.ts";
import { VARIANT_COLUMNS } from "./product-columns.tsx";

const TONE: Record<VerdictKind, string> = { better: "verdict-better", worse: "verdict-worse", "too-small": "verdict-unsure", "no-difference": "verdict-unsure" };

export function ExperimentList(props: { experiments: ExperimentResult[] }): JSX.Element {
  return (
    <div class="product-experiments">
      <For each={props.experiments}>
        {(e, i) => (
          <article class="product-experiment" aria-labelledby={`experiment-${i()}`} data-testid="product-experiment">
            <h3 id={`experiment-${i()}`} class="product-subtitle">
              <span class="product-name">{e.experiment}</span>
            </h3>
            <p class="panel-description">
              Goal: <span class="product-name">{e.goal}</span> · {formatInteger(e.variants.reduce((n, v) => n + v.users, 0))} users in {formatInteger(e.variants.length)} variants
            </p>
            <p class={`verdict ${TONE[e.verdict.kind]}`} data-testid="experiment-verdict">
              <strong>{VERDICT_LABEL[e.verdict.kind]}</strong>
              {e.verdict.variant !== null ? <> (<span class="product-name">{e.verdict.variant}</span>)</> : null}: {e.verdict.text}
            </p>
            <Table testId={`table-experiment-${i()}`} caption={`Variants of ${e.experiment}`} columns={VARIANT_COLUMNS} rows={e.variants} />
          </article>
        )}
      </For>
    </div>
  );
}
