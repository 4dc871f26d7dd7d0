/**
 * The impact severity score (shared/impact.ts) as the view shows it: the
 * score and its level, then each component with the measure behind it and
 * what it scores alone, and the formula in words with a link to the full
 * explanation (docs/alerts.md, bundled as an asset so the link works offline
 * of any repository host).
 */
import { For, type JSX } from "solid-js";
import { IMPACT, type MeasuredImpact } from "../../../shared/impact.ts";
import alertsDocs from "../../../docs/alerts.md?url";
import { formatInteger, formatPercent } from "./format.ts";

export interface ChaosImpactProps {
  impact: MeasuredImpact;
  testId: string;
}

const one = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** A score as the card and the panel both show it: one decimal at most. */
export function formatScore(score: number): string {
  return one.format(score);
}

export function ChaosImpact(props: ChaosImpactProps): JSX.Element {
  const c = () => props.impact.components;
  const parts = () => [
    {
      key: "fault_rate",
      label: "Fault rate",
      measure: `${one.format(c().fault_rate.value * 100)} faults per 100 requests`,
      score: c().fault_rate.score,
      weight: IMPACT.weights.fault_rate,
    },
    {
      key: "added_latency",
      label: "Added latency",
      measure: `p95 +${formatPercent(c().added_latency.value)} over the baseline`,
      score: c().added_latency.score,
      weight: IMPACT.weights.added_latency,
    },
    {
      key: "error_increase",
      label: "Error increase",
      measure: `+${one.format(c().error_increase.value * 100)} points of server errors`,
      score: c().error_increase.score,
      weight: IMPACT.weights.error_increase,
    },
  ];
  return (
    <div class="impact" data-testid={props.testId}>
      <p class="impact-score">
        <span class="impact-value" data-testid={`${props.testId}-score`}>
          {formatScore(props.impact.score)}
        </span>
        <span class={`impact-level level-${props.impact.level}`} data-testid={`${props.testId}-level`}>
          {props.impact.level}
        </span>
      </p>
      <p class="impact-basis">
        {formatInteger(props.impact.inputs.faults)} faults over {formatInteger(props.impact.inputs.requests)} requests; baseline of{" "}
        {formatInteger(props.impact.baseline_requests)} requests in the 24 hours before.
      </p>
      <ul class="impact-parts">
        <For each={parts()}>
          {(p) => (
            <li class="impact-part" data-testid={`${props.testId}-${p.key}`}>
              <span class="impact-part-label">{p.label}</span>
              <span class="impact-part-measure">{p.measure}</span>
              <span class="impact-part-score">
                {one.format(p.score)} of {formatInteger(p.weight * 100)}
              </span>
            </li>
          )}
        </For>
      </ul>
      <p class="impact-formula">
        Each measure saturates (1 − e<sup>−x/k</sup>) and they combine without adding past 100: score = 100 × (1 − (1 − 0.3·fault) × (1 − 0.8·latency) × (1 − 1·errors)).
        Faults users never feel score at most 30; slowdowns up to 80; failing every request 100.{" "}
        <a href={`${alertsDocs}#the-impact-score`} target="_blank" rel="noopener" data-testid={`${props.testId}-docs`}>
          How the impact score is worked out
        </a>
      </p>
    </div>
  );
}
