/**
 * The report straight from stored events, for the CLI and tests: the events
 * are encoded as columnar blocks and the engine runs the coverage queries, as
 * the app's aggregation worker does over its segments.
 */
import { encodeBlock, newDictionary, type ColumnBlock } from "../columns.ts";
import { runQueries } from "../engine/index.ts";
import type { StoredEvent } from "../event.ts";
import { coverageQueries } from "./queries.ts";
import { buildCoverageReport, type CoverageInput, type CoverageReport } from "./report.ts";

/** Events per block, about the size the app keeps per segment. */
const BLOCK_EVENTS = 4096;

/** The Coverage & risk report of `events` (any order), for `input.range` and `input.utcOffsetMinutes`. */
export function coverageFromEvents(events: readonly StoredEvent[], input: CoverageInput): CoverageReport {
  const dict = newDictionary();
  const blocks: ColumnBlock[] = [];
  for (let i = 0; i < events.length; i += BLOCK_EVENTS) blocks.push(encodeBlock(events.slice(i, i + BLOCK_EVENTS), dict));
  const queries = coverageQueries({
    ...(input.range ? { range: input.range } : {}),
    ...(input.utcOffsetMinutes ? { utcOffsetMinutes: input.utcOffsetMinutes } : {}),
  });
  return buildCoverageReport(runQueries(blocks, dict, queries), input);
}
