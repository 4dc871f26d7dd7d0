/**
 * Posting alerts to webhooks: each due delivery of the workspace's outbox is
 * attempted once per round, all at once and each with its own timeout, so a
 * slow or failing URL never holds up the others. A failure is retried with
 * exponential backoff until the last attempt, after which it is abandoned.
 */
import type { AlertWebhookBody } from "../../shared/wire.ts";
import { dueWebhooks, nextWebhookAt, recordAttempts, type DueWebhook, type WebhookOutcome } from "../db/webhooks.ts";

/** Attempts per delivery, the first included. */
export const WEBHOOK_ATTEMPTS = 6;

/** How long one attempt may take, answer included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Deliveries attempted per round; more wait for the next round, right after. */
export const WEBHOOK_ROUND = 25;

/** Header naming the delivery, the same on every retry, so receivers can drop repeats. */
export const DELIVERY_HEADER = "X-Tally-Delivery";

/**
 * The wait after the n-th failed attempt: 2^n minutes, so six attempts span
 * 2 + 4 + 8 + 16 + 32 = 62 minutes; null after the last one.
 */
export function retryDelay(failedAttempts: number): number | null {
  return failedAttempts >= WEBHOOK_ATTEMPTS ? null : 2 ** failedAttempts * 60_000;
}

const short = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}…` : text);

/** One attempt; never throws. */
async function attempt(workspace: string, hook: DueWebhook, now: number, fetcher: typeof fetch): Promise<WebhookOutcome> {
  let error: string;
  try {
    const response = await fetcher(hook.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Tally-Webhook/1", [DELIVERY_HEADER]: String(hook.id) },
      body: JSON.stringify({ workspace, alert: hook.alert } satisfies AlertWebhookBody),
      // a redirect would turn the POST into a GET: answer with the final URL instead
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // the body is not needed; cancelling it frees the connection
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { id: hook.id, delivered: true };
    error = `HTTP ${response.status}`;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const delay = retryDelay(hook.attempts + 1);
  return { id: hook.id, delivered: false, error: short(error), retryAt: delay === null ? null : now + delay };
}

/** What a round did, and when the next delivery falls due (null: none pending). */
export interface WebhookRound {
  delivered: number;
  failed: number;
  abandoned: number;
  nextAt: number | null;
}

/** Attempts every delivery of the workspace due at `now` (up to {@link WEBHOOK_ROUND}) and records the outcomes. */
export async function deliverDueWebhooks(db: D1Database, workspace: string, now: number, fetcher: typeof fetch = (input, init) => fetch(input, init)): Promise<WebhookRound> {
  const due = await dueWebhooks(db, workspace, now, WEBHOOK_ROUND);
  const outcomes = await Promise.all(due.map((hook) => attempt(workspace, hook, now, fetcher)));
  await recordAttempts(db, outcomes, now);
  for (const o of outcomes) if (!o.delivered) console.warn(`alerts: webhook delivery ${o.id} failed (${o.error})${o.retryAt === null ? "; abandoned" : ""}`);
  return {
    delivered: outcomes.filter((o) => o.delivered).length,
    failed: outcomes.filter((o) => !o.delivered && o.retryAt !== null).length,
    abandoned: outcomes.filter((o) => !o.delivered && o.retryAt === null).length,
    nextAt: await nextWebhookAt(db, workspace),
  };
}
