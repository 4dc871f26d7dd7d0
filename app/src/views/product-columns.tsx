/**
 * The Product view's table columns: what each cell shows and what it sorts
 * by. Names people sent (features, variants, steps) render as text; trend
 * arrows carry their meaning in words for screen readers and in a title.
 */
import type { FeatureAdoption, FunnelStepResult, SegmentResult, Trend, VariantResult } from "../../../shared/product/types.ts";
import { formatInteger, formatPercent } from "../components/format.ts";
import type { Column } from "../components/table.tsx";
import { SEGMENT_LABEL, TREND_MARK, TREND_TEXT } from "../panels/product.ts";
import { formatInterval, formatPValue, formatSignedPercent } from "../panels/product-format.ts";

const DASH = "—";

const TREND_ORDER: Record<Trend, number> = { up: 1, flat: 0, down: -1 };

function TrendMark(props: { trend: Trend }) {
  return (
    <span class={`trend trend-${props.trend}`} title={TREND_TEXT[props.trend]}>
      <span aria-hidden="true">{TREND_MARK[props.trend]}</span>
      <span class="visually-hidden">{TREND_TEXT[props.trend]}</span>
    </span>
  );
}

export const ADOPTION_COLUMNS: Column<FeatureAdoption>[] = [
  { key: "feature", label: "Feature", value: (r) => r.feature, render: (r) => <span class="product-name">{r.feature}</span> },
  { key: "users", label: "Users", value: (r) => r.users, render: (r) => formatInteger(r.users), numeric: true },
  { key: "share", label: "Share", value: (r) => r.share, render: (r) => formatPercent(r.share), numeric: true, title: "Users of the feature ÷ active users in the range" },
  { key: "previousShare", label: "Previous", value: (r) => r.previousShare, render: (r) => formatPercent(r.previousShare), numeric: true, title: "The share over the equally long period just before the range" },
  { key: "trend", label: "Trend", value: (r) => TREND_ORDER[r.trend], render: (r) => <TrendMark trend={r.trend} />, title: "Share against the previous period" },
];

export const VARIANT_COLUMNS: Column<VariantResult>[] = [
  {
    key: "variant",
    label: "Variant",
    value: (r) => r.variant,
    render: (r) => (
      <>
        <span class="product-name">{r.variant}</span>
        {r.control ? <span class="badge product-control"> control</span> : null}
      </>
    ),
  },
  { key: "users", label: "Users", value: (r) => r.users, render: (r) => formatInteger(r.users), numeric: true },
  { key: "conversions", label: "Conversions", value: (r) => r.conversions, render: (r) => formatInteger(r.conversions), numeric: true },
  { key: "rate", label: "Rate", value: (r) => r.rate, render: (r) => formatPercent(r.rate), numeric: true, title: "Conversions ÷ users" },
  { key: "lift", label: "Lift", value: (r) => r.lift, render: (r) => formatSignedPercent(r.lift), numeric: true, title: "Rate against the control's, relative" },
  { key: "pValue", label: "p-value", value: (r) => r.pValue, render: (r) => formatPValue(r.pValue), numeric: true, title: "Two-sided, two-proportion z-test against the control" },
  { key: "ci95", label: "95% interval", value: (r) => r.ci95[0], render: (r) => formatInterval(r.ci95), numeric: true, title: "Of the rate difference to the control, in percentage points" },
];

export const SEGMENT_COLUMNS: Column<SegmentResult>[] = [
  { key: "segment", label: "Segment", value: (r) => SEGMENT_LABEL[r.segment] },
  { key: "users", label: "Users", value: (r) => r.users, render: (r) => formatInteger(r.users), numeric: true },
  { key: "share", label: "Share", value: (r) => r.share, render: (r) => formatPercent(r.share), numeric: true, title: "Of the users with an event in the range" },
  {
    key: "eventsPerActiveDay",
    label: "Events per active day",
    value: (r) => r.eventsPerActiveDay,
    render: (r) => (Number.isFinite(r.eventsPerActiveDay) ? r.eventsPerActiveDay.toFixed(1) : DASH),
    numeric: true,
  },
  { key: "engagement", label: "Engagement", value: (r) => r.engagement, render: (r) => (Number.isFinite(r.engagement) ? `${r.engagement.toFixed(1)} / 10` : DASH), numeric: true, title: "Mean engagement score, 0 to 10" },
];

/** Steps keep their order by default: the position column sorts them back. */
export type StepRow = FunnelStepResult & { position: number };

export const STEP_COLUMNS: Column<StepRow>[] = [
  { key: "position", label: "#", value: (r) => r.position, numeric: true },
  { key: "label", label: "Step", value: (r) => r.label, render: (r) => <span class="product-name">{r.label}</span> },
  { key: "users", label: "Users", value: (r) => r.users, render: (r) => formatInteger(r.users), numeric: true },
  { key: "fromPrevious", label: "From previous", value: (r) => r.fromPrevious, render: (r) => formatPercent(r.fromPrevious), numeric: true },
  { key: "fromFirst", label: "From first", value: (r) => r.fromFirst, render: (r) => formatPercent(r.fromFirst), numeric: true },
  { key: "dropOff", label: "Drop-off", value: (r) => r.dropOff, render: (r) => formatInteger(r.dropOff), numeric: true, title: "Users of the previous step who did not reach this one" },
];
