/**
 * A ranked list of labelled bars (Plausible style): each row names a value,
 * draws its share and says its number, so it reads without the bars too.
 * Bar widths are a CSS custom property set at run time, which the CSP allows
 * (no inline style attributes).
 */
import { Index, Show, type JSX } from "solid-js";
import { colour } from "./palette.ts";

export interface Bar {
  label: string;
  value: number;
  /** The value as shown, e.g. "1,204". */
  display: string;
  /** Extra text after the value, e.g. "2.1% errors · p95 120 ms". */
  detail?: string;
}

export interface BarListProps {
  bars: Bar[];
  label: string;
  testId: string;
  /** Colour bars by position (protocols share the charts' palette) or all in the error colour. */
  tone?: "palette" | "error";
}

export function BarList(props: BarListProps): JSX.Element {
  const max = () => Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <ul class="bar-list" aria-label={props.label} data-testid={props.testId}>
      {/* by position, so a live update changes the bars in place */}
      <Index each={props.bars}>
        {(bar, i) => (
          <li class="bar-row">
            <div
              class="bar-fill"
              classList={{ "bar-error": props.tone === "error" }}
              style={{ "--share": String(bar().value / max()), "--bar-colour": props.tone === "error" ? "var(--bad)" : colour(i) }}
              aria-hidden="true"
            />
            <span class="bar-label">{bar().label}</span>
            <span class="bar-value">
              {bar().display}
              <Show when={bar().detail}>
                <span class="bar-detail"> · {bar().detail}</span>
              </Show>
            </span>
          </li>
        )}
      </Index>
    </ul>
  );
}
