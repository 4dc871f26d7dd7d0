/**
 * A headline number: label, value, and an optional line of context. The
 * value is text, so a screen reader reads "Requests 12,345".
 */
import { Show, type JSX } from "solid-js";

export interface CardProps {
  label: string;
  value: string;
  /** A short line under the value, e.g. "peak 3.2/s". */
  detail?: string;
  /** Marks a value that crossed a threshold (an error rate above 5%). */
  tone?: "normal" | "bad";
  title?: string;
  testId: string;
  loading?: boolean;
}

export function Card(props: CardProps): JSX.Element {
  return (
    <div class="card" classList={{ "card-bad": props.tone === "bad", "is-loading": props.loading }} data-testid={props.testId} title={props.title}>
      <div class="card-label">{props.label}</div>
      <div class="card-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </div>
      <Show when={props.detail}>
        <div class="card-detail">{props.detail}</div>
      </Show>
    </div>
  );
}
