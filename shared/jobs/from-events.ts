/**
 * The report straight from stored events, for the CLI and tests: the events
 * are encoded as columnar blocks and the engine runs the jobs queries, as the
 * app's aggregation worker does over its segments.
 */
import { encodeBlock, newDictionary, type ColumnBlock } from "../columns.ts";
import { runQueries } from "../engine/index.ts";
import type { StoredEvent } from "../event.ts";
import { jobsQueries, type JobsQueryOptions } from "./queries.ts";
import { buildJobsReport, type JobsReport } from "./report.ts";

/** Events per block, about the size the app keeps per segment. */
const BLOCK_EVENTS = 4096;

/** The Jobs & cost report of `events` (any order), for `options`. */
export function jobsFromEvents(events: readonly StoredEvent[], options: JobsQueryOptions = {}): JobsReport {
  const dict = newDictionary();
  const blocks: ColumnBlock[] = [];
  for (let i = 0; i < events.length; i += BLOCK_EVENTS) blocks.push(encodeBlock(events.slice(i, i + BLOCK_EVENTS), dict));
  return buildJobsReport(runQueries(blocks, dict, jobsQueries(options)), options);
}
