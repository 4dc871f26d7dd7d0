/**
 * A uPlot time chart, the solid-uplot way: the plot is made inside an effect
 * that tracks only the series' shape (labels), reading the first data
 * untracked; a nested effect feeds later data through setData, so a live
 * update never rebuilds the plot; onCleanup destroys it; a ResizeObserver
 * keeps its width to the container's.
 */
import { createEffect, createMemo, on, onCleanup, onMount, untrack, type JSX } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TimeSeries } from "../panels/time-series.ts";
import { colour, withAlpha } from "./palette.ts";

export interface ChartProps {
  data: TimeSeries;
  /** Formats y values on the axis and in the legend. */
  format: (v: number) => string;
  /** What the chart shows, for screen readers: the canvas itself says nothing. */
  label: string;
  height?: number;
  testId?: string;
  /** Fill under each line; right for counts, wrong for percentiles. */
  fill?: boolean;
}

function aligned(data: TimeSeries): uPlot.AlignedData {
  return [data.xs, ...data.series.map((s) => s.values)];
}

export function Chart(props: ChartProps): JSX.Element {
  let el!: HTMLDivElement;
  let plot: uPlot | undefined;
  const height = () => props.height ?? 220;

  // the shape (series labels) decides the options; new labels need a new plot. A memo, because
  // `on` alone re-runs whenever its source re-runs: every update would rebuild the plot
  const shape = createMemo(() => props.data.series.map((s) => s.label).join("\u0000"));

  onMount(() => {
    createEffect(
      on(
        shape,
        () => {
          const first = untrack(() => props.data);
          const format = untrack(() => props.format);
          const fill = untrack(() => props.fill ?? false);
          const opts: uPlot.Options = {
            width: Math.max(el.clientWidth, 200),
            height: untrack(height),
            cursor: { drag: { x: false, y: false } },
            legend: { live: true },
            scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
            axes: [
              { stroke: "#4b5563", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#e5e7eb" } },
              {
                stroke: "#4b5563",
                grid: { stroke: "#e5e7eb" },
                ticks: { stroke: "#e5e7eb" },
                // wide enough for the longest tick label ("1,250 ms"), measured in characters
                size: (_u, values) => 20 + 8 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
                values: (_u, splits) => splits.map((v) => format(v)),
              },
            ],
            series: [
              {},
              ...first.series.map((s, i) => ({
                label: s.label,
                stroke: colour(i),
                width: 2,
                fill: fill ? withAlpha(colour(i), 0.08) : undefined,
                points: { show: first.xs.length < 40 },
                value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
              })),
            ],
          };
          const made = new uPlot(opts, aligned(first), el);
          plot = made;
          // later data only: the first came with the plot. The same series again (a view handing
          // over its other panels' results) is not drawn again
          let shown = first;
          createEffect(
            on(
              () => props.data,
              (data) => {
                if (data === shown) return;
                shown = data;
                made.setData(aligned(data));
              },
              { defer: true },
            ),
          );
          onCleanup(() => {
            made.destroy();
            if (plot === made) plot = undefined;
          });
        },
      ),
    );

    const observer = new ResizeObserver(() => {
      if (plot && el.clientWidth > 0 && Math.abs(plot.width - el.clientWidth) > 1) plot.setSize({ width: el.clientWidth, height: height() });
    });
    observer.observe(el);
    onCleanup(() => observer.disconnect());
  });

  return <div class="chart" ref={el} role="img" aria-label={props.label} data-testid={props.testId} />;
}
