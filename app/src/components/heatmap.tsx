/**
 * Hour-of-week heatmap: a 7×24 table, Monday first, hours in the person's
 * time zone. A real table with row and column headers, and each cell's count
 * as (visually hidden) text, so it reads as a table to a screen reader; the
 * colour is only a second channel.
 */
import { For, Index, type JSX } from "solid-js";

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export interface HeatmapProps {
  /** 168 values, 0 = Monday 00:00. */
  cells: number[];
  /** Formats a cell's value for its label, e.g. "12 requests". */
  describe: (value: number) => string;
  caption: string;
  testId: string;
}

/** One cell of a heatmap table: its colour level (0..1) as `--level`, its value in words for screen readers. */
export function HeatCell(props: { value: number; level: number; title: string; label: string }): JSX.Element {
  return (
    <td class="heatmap-cell" classList={{ "heatmap-zero": props.value === 0 }} style={{ "--level": String(props.level) }} title={props.title}>
      <span class="visually-hidden">{props.label}</span>
    </td>
  );
}

function hour(h: number): string {
  return `${String(h).padStart(2, "0")}:00`;
}

export function Heatmap(props: HeatmapProps): JSX.Element {
  const max = () => Math.max(0, ...props.cells);
  // a square root scale keeps quiet hours visible next to a busy peak
  const level = (v: number) => (max() === 0 || v === 0 ? 0 : Math.sqrt(v / max()));
  return (
    <div class="heatmap-wrap" tabindex="0" role="region" aria-label={props.caption}>
      <table class="heatmap" data-testid={props.testId}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <td />
            <For each={Array.from({ length: 24 }, (_, h) => h)}>
              {(h) => (
                <th scope="col" class="heatmap-hour">
                  <span aria-hidden="true">{h % 3 === 0 ? String(h) : ""}</span>
                  <span class="visually-hidden">{hour(h)}</span>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={DAYS}>
            {(day, d) => (
              <tr>
                <th scope="row" class="heatmap-day">
                  <abbr title={day}>{day.slice(0, 3)}</abbr>
                </th>
                <Index each={props.cells.slice(d() * 24, d() * 24 + 24)}>
                  {(value, h) => (
                    <HeatCell
                      value={value()}
                      level={level(value())}
                      title={`${day} ${hour(h)}–${hour(h + 1)}: ${props.describe(value())}`}
                      label={`${day} ${hour(h)}: ${props.describe(value())}`}
                    />
                  )}
                </Index>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
