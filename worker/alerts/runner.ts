/**
 * When a workspace's alerts are evaluated and its webhooks posted: the part
 * of the LiveHub (one per workspace, so one evaluation at a time) that runs
 * them from the hub's alarm. Committed batches and config edits only ask for
 * an evaluation; the alarm does the work, outside any request, with the
 * runtime's retries. Under heavy ingest evaluations are at most one per
 * {@link ALERT_THROTTLE_MS}; the last batch is always evaluated. An edit of
 * the rules is evaluated at once and does not hold back the next batch's.
 *
 * What must outlive hibernation (the workspace, when to evaluate and when to
 * post next) is kept in the hub's storage; the rest is a cache.
 */
import type { AlertHistoryEntry } from "../../shared/wire.ts";
import { hasAlertWork } from "../db/alerts.ts";
import { evaluateWorkspace, MIN_TICK_MS } from "./evaluate.ts";
import { deliverDueWebhooks } from "./webhooks.ts";

/** Least time between two evaluations of a workspace prompted by ingest. */
export const ALERT_THROTTLE_MS = 5_000;

/** How long the hub trusts that a workspace has (or has no) rules before reading again. */
export const RULES_CACHE_MS = 30_000;

const WORKSPACE = "alerts:workspace";
const EVALUATE_AT = "alerts:evaluate_at";
const WEBHOOKS_AT = "alerts:webhooks_at";

/** What the runner needs from its hub. */
export interface RunnerHost {
  storage: DurableObjectStorage;
  db: D1Database;
  /** Sends a stored transition to the workspace's browsers. */
  publish(workspace: string, alert: AlertHistoryEntry): void;
  /** Makes sure the hub's alarm rings at `time` or earlier. */
  wakeAt(time: number): Promise<void>;
}

const earliest = (...times: (number | null | undefined)[]): number | null => {
  const set = times.filter((t): t is number => typeof t === "number");
  return set.length === 0 ? null : Math.min(...set);
};

export class AlertRunner {
  /** Whether the workspace has enabled rules or a firing alert, and until when that is trusted. */
  private work: { has: boolean; until: number } | null = null;
  /** When an evaluation last ran for committed batches; config edits and timers do not count. */
  private lastEvaluation = 0;
  /** Whether batches committed since the last evaluation. */
  private ingestWaiting = false;
  /** A webhook round asked for while an alarm may be running, merged into what it stores. */
  private webhooksAsked: number | null = null;
  /** The evaluation asked for and not yet run, as also stored under {@link EVALUATE_AT}. */
  private pendingAt: number | null = null;

  constructor(private readonly host: RunnerHost) {}

  /**
   * A batch committed. Workspaces without rules stop here: at most one D1
   * read per {@link RULES_CACHE_MS} while the hub stays in memory.
   */
  async eventsCommitted(workspace: string, now: number): Promise<void> {
    if (!(await this.hasWork(workspace, now))) return;
    this.ingestWaiting = true;
    await this.evaluateAt(workspace, Math.max(now, this.lastEvaluation + ALERT_THROTTLE_MS));
  }

  /** The rules changed (or the hourly backstop looks in): evaluate now, rules read afresh. */
  async evaluateSoon(workspace: string, now: number): Promise<void> {
    this.work = null;
    this.pendingAt = null;
    this.webhooksAsked = now;
    await this.host.storage.put(WEBHOOKS_AT, now);
    await this.evaluateAt(workspace, now);
  }

  private async hasWork(workspace: string, now: number): Promise<boolean> {
    if (this.work && this.work.until > now) return this.work.has;
    const has = await hasAlertWork(this.host.db, workspace);
    this.work = { has, until: now + RULES_CACHE_MS };
    return has;
  }

  private async evaluateAt(workspace: string, at: number): Promise<void> {
    // already due as early: no storage write, which keeps busy ingest cheap
    if (this.pendingAt !== null && this.pendingAt <= at) return;
    this.pendingAt = at;
    await this.host.storage.put({ [WORKSPACE]: workspace, [EVALUATE_AT]: at });
    await this.host.wakeAt(at);
  }

  /**
   * Runs from the hub's alarm: evaluates if due, posts webhooks if due, and
   * returns when it wants the alarm again (null: not until asked). Never
   * throws; failures are logged and retried a minute later.
   */
  async onAlarm(now: number): Promise<number | null> {
    const stored = await this.host.storage.get<string | number>([WORKSPACE, EVALUATE_AT, WEBHOOKS_AT]);
    const workspace = stored.get(WORKSPACE) as string | undefined;
    if (workspace === undefined) return null;
    let evaluateAt = (stored.get(EVALUATE_AT) as number | undefined) ?? null;
    let webhooksAt = (stored.get(WEBHOOKS_AT) as number | undefined) ?? null;
    this.webhooksAsked = null;

    if (evaluateAt !== null && evaluateAt <= now) {
      // batches committing while this runs ask again, through pendingAt
      this.pendingAt = null;
      if (this.ingestWaiting) this.lastEvaluation = now;
      this.ingestWaiting = false;
      evaluateAt = null;
      try {
        const result = await evaluateWorkspace(this.host.db, workspace, now);
        for (const entry of result.entries) this.host.publish(workspace, entry);
        if (result.entries.length > 0) webhooksAt = now;
        if (result.truncated) console.warn(`alerts: ${workspace} had more events in its windows than one evaluation reads; the newest were used`);
        this.work = { has: result.rules > 0 || result.nextTickAt !== null, until: now + RULES_CACHE_MS };
        evaluateAt = result.nextTickAt;
      } catch (e) {
        console.error("alerts: evaluation failed", workspace, e);
        evaluateAt = now + MIN_TICK_MS;
      }
    }
    if (webhooksAt !== null && webhooksAt <= now) {
      try {
        webhooksAt = (await deliverDueWebhooks(this.host.db, workspace, now)).nextAt;
      } catch (e) {
        console.error("alerts: webhook delivery failed", workspace, e);
        webhooksAt = now + MIN_TICK_MS;
      }
    }

    // what was asked for while this ran must not be overwritten
    evaluateAt = earliest(evaluateAt, this.pendingAt);
    webhooksAt = earliest(webhooksAt, this.webhooksAsked);
    this.pendingAt = evaluateAt;
    this.webhooksAsked = null;
    await this.host.storage.put({ [EVALUATE_AT]: evaluateAt, [WEBHOOKS_AT]: webhooksAt });
    return earliest(evaluateAt, webhooksAt);
  }
}
