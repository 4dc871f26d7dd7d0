/**
 * The Jobs & cost series panel: jobs, cost and success rate per day, week or
 * month, with the bucket as a control of its own (three buttons, one
 * pressed), since the filter bar's range alone does not say how finely a
 * person wants to read cost.
 */
import { createMemo, For, type JSX } from "solid-js";
import { JOB_BUCKETS, type JobBucket, type JobsReport } from "../../../shared/jobs/index.ts";
import { Chart } from "../components/chart.tsx";
import { formatCount, formatPercent, PER_BUCKET } from "../components/format.ts";
import { Panel, type PanelState } from "../components/panel.tsx";
import { formatUsd } from "../panels/jobs-format.ts";
import { seriesCharts, seriesTable } from "../panels/jobs-tables.ts";

const BUCKET_LABELS: Record<JobBucket, string> = { day: "Day", week: "Week", month: "Month" };

export interface JobsSeriesProps {
  report: JobsReport | undefined;
  state: PanelState;
  error: string | null;
  workspace: string;
  bucket: JobBucket;
  onBucket(bucket: JobBucket): void;
}

export function JobsSeries(props: JobsSeriesProps): JSX.Element {
  const charts = createMemo(() => (props.report ? seriesCharts(props.report) : null));
  const per = () => PER_BUCKET[props.report?.bucket ?? props.bucket];
  return (
    <Panel
      title="Over time"
      description={`Jobs, cost and success rate ${per()}, in your time zone; weeks start on Monday`}
      state={props.state}
      error={props.error}
      testId="panel-jobs-series"
      workspace={props.workspace}
      table={() => (props.report ? seriesTable(props.report) : null)}
      wide
    >
      <div class="segmented jobs-bucket" role="group" aria-label="Series bucket">
        <For each={JOB_BUCKETS}>
          {(b) => (
            <button type="button" class="segment" aria-pressed={props.bucket === b} onClick={() => props.onBucket(b)} data-testid={`jobs-bucket-${b}`}>
              {BUCKET_LABELS[b]}
            </button>
          )}
        </For>
      </div>
      <div class="jobs-charts">
        <figure class="jobs-chart">
          <figcaption class="jobs-chart-title">Jobs</figcaption>
          <Chart data={charts()!.jobs} format={formatCount} fill label={`Jobs ${per()}`} height={180} testId="chart-jobs" />
        </figure>
        <figure class="jobs-chart">
          <figcaption class="jobs-chart-title">Cost</figcaption>
          <Chart data={charts()!.cost} format={formatUsd} fill label={`Cost in US dollars ${per()}`} height={180} testId="chart-jobs-cost" />
        </figure>
        <figure class="jobs-chart">
          <figcaption class="jobs-chart-title">Success rate</figcaption>
          <Chart data={charts()!.success} format={formatPercent} label={`Success rate ${per()}: succeeded of finished jobs`} height={180} testId="chart-jobs-success" />
        </figure>
      </div>
    </Panel>
  );
}
