/**
 * How the Product view explains its segments: one line per rule, in the
 * order the report lists them. The rules are shared/product/segments.ts's;
 * the lines are built from its constants, so the numbers they say are the
 * ones it counts with.
 */
import { ENGAGEMENT_WINDOW_DAYS, FULL_ENGAGEMENT_DAYS, POWER_DAYS, RECENT_DAYS, SEGMENTS } from "../../../shared/product/segments.ts";
import type { SegmentName } from "../../../shared/product/types.ts";

export const SEGMENT_ORDER: readonly SegmentName[] = SEGMENTS;

export const SEGMENT_RULES: Record<SegmentName, string> = {
  power: `Seen before the last ${RECENT_DAYS} days, active in them, and active on ${POWER_DAYS} or more of the last ${ENGAGEMENT_WINDOW_DAYS} days.`,
  regular: `Seen before the last ${RECENT_DAYS} days and active in them, on fewer than ${POWER_DAYS} of the last ${ENGAGEMENT_WINDOW_DAYS} days.`,
  new: `First seen within the last ${RECENT_DAYS} days.`,
  "at-risk": `Seen before, but no event in the last ${RECENT_DAYS} days.`,
};

/** What the engagement score is, in one line. */
export const ENGAGEMENT_RULE = `Engagement: 10 × active days in the last ${ENGAGEMENT_WINDOW_DAYS} ÷ ${FULL_ENGAGEMENT_DAYS}, at most 10, averaged over the segment.`;
