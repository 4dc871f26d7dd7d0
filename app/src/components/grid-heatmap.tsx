/**
 * A label × time heatmap (scenario × day): one row per label, one column per
 * bucket. Like the hour-of-week heatmap it is a real table with row and
 * column headers and each cell's value as visually hidden text; the colour is
 * a second channel. Labels are user input and render as text.
 */
import { For, Index, type JSX } from "solid-js";
import { HeatCell } from "./heatmap.tsx";

export interface GridHeatmapProps {
  /** Column labels, e.g. "Nov 20". */
  columns: string[];
  rows: Array<{ label: string; values: number[] }>;
  /** A cell's value in words, e.g. "12 uses". */
  describe: (value: number) => string;
  caption: string;
  testId: string;
}

export function GridHeatmap(props: GridHeatmapProps): JSX.Element {
  const max = () => props.rows.reduce((m, r) => Math.max(m, ...r.values), 0);
  // square root, as the hour-of-week heatmap: a rarely used scenario still shows next to a busy one
  const level = (v: number) => (max() === 0 || v === 0 ? 0 : Math.sqrt(v / max()));
  // with many days, label every few columns so the labels never overlap
  const every = () => Math.max(1, Math.ceil(props.columns.length / 10));
  return (
    <div class="heatmap-wrap" tabindex="0" role="region" aria-label={props.caption}>
      <table class="heatmap grid-heatmap" data-testid={props.testId}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <td />
            <For each={props.columns}>
              {(c, i) => (
                <th scope="col" class="heatmap-hour">
                  <span aria-hidden="true">{i() % every() === 0 ? c : ""}</span>
                  <span class="visually-hidden">{c}</span>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr>
                <th scope="row" class="heatmap-day grid-heatmap-label">
                  {row.label}
                </th>
                <Index each={row.values}>
                  {(value, i) => (
                    <HeatCell
                      value={value()}
                      level={level(value())}
                      title={`${row.label}, ${props.columns[i] ?? ""}: ${props.describe(value())}`}
                      label={`${row.label}, ${props.columns[i] ?? ""}: ${props.describe(value())}`}
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
