/**
 * How the Product view explains its segments: one line per rule, in the
 * order the table lists them. The rules themselves are shared/product's;
 * these lines say them in words and must change with them.
 */
import type { SegmentName } from "../../../shared/product/types.ts";

export const SEGMENT_ORDER: readonly SegmentName[] = ["power", "regular", "new", "at-risk"];

export const SEGMENT_RULES: Record<SegmentName, string> = {
  power: "Active on many days of the last 30 with many events per active day: the most engaged.",
  regular: "Seen before the last 14 days and active in them, without a power user's frequency.",
  new: "First seen within the last 14 days.",
  "at-risk": "Seen before, but no event in the last 14 days.",
};
