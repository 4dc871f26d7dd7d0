/**
 * The hourly job (a Cron Trigger, wrangler.toml): deletes events past each
 * workspace's retention, then folds new events into the metric rollups, then
 * deletes alert history and finished webhook deliveries past their keep. All
 * work in bounded chunks with a cap per run, taking turns between workspaces
 * so a large one cannot starve the rest; what a run leaves, the next run does.
 */
import type { EventType } from "../shared/event.ts";
import type { MaintenanceResponse, MaintenanceWork } from "../shared/wire.ts";
import { retentionCutoffs } from "../shared/config.ts";
import { listRetention } from "./db/config.ts";
import { deleteOldAlertRows } from "./db/alert-cleanup.ts";
import { foldNextChunk, workspacesToFold } from "./db/metrics.ts";
import { deleteExpiredChunk, tasksWithExpiredEvents, type RetentionTask } from "./db/retention.ts";
import { wakeLostAlertTimers } from "./alerts/backstop.ts";

/** Rows per chunk, and chunks per run, of one kind of work. */
export interface ChunkLimits {
  chunkSize: number;
  maxChunks: number;
}

export interface MaintenanceLimits {
  retention: ChunkLimits;
  rollup: ChunkLimits;
  alerts: ChunkLimits;
}

/** Alert history is kept this long; a firing alert's own entry older than that goes too (its state stays). */
export const ALERT_HISTORY_DAYS = 90;
/** Delivered and abandoned webhook rows are kept this long, for looking into a failed delivery. */
export const FINISHED_WEBHOOK_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * At most 750,000 rows of each kind per run, in about 750 D1 queries (a
 * retention chunk is 2 statements, a rollup chunk 3), under the 1,000 a paid
 * Worker invocation may make; each statement stays far from D1's 30-second
 * query limit. More than this per hour catches up over later runs.
 */
export const DEFAULT_LIMITS: MaintenanceLimits = {
  retention: { chunkSize: 5000, maxChunks: 150 },
  rollup: { chunkSize: 5000, maxChunks: 150 },
  alerts: { chunkSize: 5000, maxChunks: 20 },
};

const HOUR_MS = 3_600_000;

/**
 * The list started at a place that moves every hour, so when the cap stops
 * runs early, the same workspaces are not always the ones left waiting.
 */
function rotated<T>(list: T[], now: number): T[] {
  if (list.length === 0) return list;
  const start = Math.floor(now / HOUR_MS) % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

/**
 * Runs `step` over the tasks in turns, one chunk per task per turn, until
 * every task reports it is finished or `maxChunks` chunks have run.
 */
async function inTurns<T>(tasks: T[], maxChunks: number, step: (task: T) => Promise<boolean>): Promise<Omit<MaintenanceWork, "rows">> {
  let pending = tasks;
  let chunks = 0;
  let failed = 0;
  while (pending.length > 0) {
    const next: T[] = [];
    for (const task of pending) {
      if (chunks >= maxChunks) return { chunks, done: false, failed };
      chunks++;
      try {
        if (await step(task)) next.push(task);
      } catch (err) {
        // one workspace's failure must not stop the others' cleanup
        console.error("maintenance chunk failed", task, err);
        failed++;
      }
    }
    pending = next;
  }
  return { chunks, done: failed === 0, failed };
}

/**
 * Deletes every workspace's events older than its retention of their type, as
 * of `now`. Only workspaces and types with something to delete take chunks,
 * so settings with nothing due cost one index seek each, not a share of the cap.
 */
export async function runRetention(db: D1Database, now: number, limits: ChunkLimits): Promise<MaintenanceWork> {
  const all: RetentionTask[] = (await listRetention(db)).flatMap(({ workspaceId, days }) =>
    Object.entries(retentionCutoffs(days, now)).map(([type, cutoff]) => ({ workspaceId, type: type as EventType, cutoff })),
  );
  const tasks = rotated(await tasksWithExpiredEvents(db, all), now);
  let rows = 0;
  const report = await inTurns(tasks, limits.maxChunks, async (t) => {
    const deleted = await deleteExpiredChunk(db, t.workspaceId, t.type, t.cutoff, limits.chunkSize);
    rows += deleted;
    return deleted === limits.chunkSize;
  });
  return { rows, ...report };
}

/** Folds every workspace's new events into its metric rollups; `now` only rotates the order. */
export async function runRollups(db: D1Database, limits: ChunkLimits, now = 0): Promise<MaintenanceWork> {
  let rows = 0;
  const report = await inTurns(rotated(await workspacesToFold(db), now), limits.maxChunks, async (workspaceId) => {
    const folded = await foldNextChunk(db, workspaceId, limits.chunkSize);
    rows += folded;
    return folded === limits.chunkSize;
  });
  return { rows, ...report };
}

/** Deletes alert history and finished webhook rows past their keep, as of `now`, in chunks across all workspaces. */
export async function runAlertCleanup(db: D1Database, now: number, limits: ChunkLimits): Promise<MaintenanceWork> {
  let rows = 0;
  const report = await inTurns([null], limits.maxChunks, async () => {
    const deleted = await deleteOldAlertRows(db, now - ALERT_HISTORY_DAYS * DAY_MS, now - FINISHED_WEBHOOK_DAYS * DAY_MS, limits.chunkSize);
    rows += deleted;
    return deleted > 0;
  });
  return { rows, ...report };
}

/** One run. Retention goes first: rollups then need not fold what it deletes, since it folds that itself. */
export async function runMaintenance(db: D1Database, now: number, limits: MaintenanceLimits = DEFAULT_LIMITS): Promise<MaintenanceResponse> {
  const retention = await runRetention(db, now, limits.retention);
  const rollup = await runRollups(db, limits.rollup, now);
  const alerts = await runAlertCleanup(db, now, limits.alerts);
  return { retention, rollup, alerts };
}

/**
 * The Worker's scheduled handler; retention cutoffs are taken at the trigger's
 * scheduled time. Awaited, not waitUntil'ed, so the run lasts as long as the
 * work and an error that stops it marks the run failed. Then it wakes the
 * hubs whose alert timers seem lost (worker/alerts/backstop.ts).
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env) => {
  const report = await runMaintenance(env.DB, controller.scheduledTime);
  console.log(JSON.stringify({ job: "maintenance", cron: controller.cron, ...report }));
  const alerts = await wakeLostAlertTimers(env, controller.scheduledTime);
  console.log(JSON.stringify({ job: "alerts", cron: controller.cron, ...alerts }));
};
