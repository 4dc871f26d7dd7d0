// Webhook delivery from the outbox, with fetch stubbed (tests have no network):
// delivered once, retried with backoff after a 500 or a thrown fetch,
// abandoned after the last attempt, and a failing URL never stops the others.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { AlertHistoryEntry } from "../../shared/wire.ts";
import { evaluateWorkspace } from "../../worker/alerts/evaluate.ts";
import { DELIVERY_HEADER, deliverDueWebhooks, retryDelay, WEBHOOK_ATTEMPTS } from "../../worker/alerts/webhooks.ts";
import { MIN, rule, storeRequests, T0, times, webhookRows, writeRules } from "./alert-fixtures.ts";
import { workspace } from "./helpers.ts";

const A = "https://hooks.example.com/a";
const B = "https://hooks.example.com/b";

/** A workspace with one firing alert per URL given, each queued for delivery at T0. */
async function queued(...urls: string[]): Promise<{ id: string; entries: AlertHistoryEntry[] }> {
  const { id } = await workspace();
  await writeRules(id, urls.map((url, i) => rule({ id: `r${i}`, name: `Rule ${i}`, webhook_url: url })));
  await storeRequests(id, times(30, T0 - MIN));
  const { entries } = await evaluateWorkspace(env.DB, id, T0);
  expect(entries).toHaveLength(urls.length);
  return { id, entries };
}

/** A stand-in for fetch that answers per URL, recording each call. */
function fakeFetch(answer: (url: string) => Response | Promise<Response>) {
  return vi.fn<typeof fetch>(async (input) => answer(String(input)));
}

const state = async (ws: string) => (await webhookRows(ws)).map((w) => ({ url: w.url, state: w.state, attempts: w.attempts, next: w.next_attempt_at, error: w.last_error }));

describe("delivering", () => {
  it("posts { workspace, alert } as JSON once, with the delivery id, and marks it delivered", async () => {
    const { id, entries } = await queued(A);
    const fetcher = fakeFetch(() => new Response("ok"));
    expect(await deliverDueWebhooks(env.DB, id, T0, fetcher)).toEqual({ delivered: 1, failed: 0, abandoned: 0, nextAt: null });

    expect(fetcher).toHaveBeenCalledTimes(1);
    const [url, init] = fetcher.mock.calls[0]!;
    expect(url).toBe(A);
    expect(init?.method).toBe("POST");
    const headers = new Headers(init?.headers);
    expect(headers.get("Content-Type")).toBe("application/json");
    expect(headers.get(DELIVERY_HEADER)).toBe(String((await webhookRows(id))[0]!.id));
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.parse(init?.body as string)).toEqual({ workspace: id, alert: entries[0] });
    expect(await state(id)).toEqual([{ url: A, state: "delivered", attempts: 1, next: T0, error: null }]);

    // delivered is final
    expect(await deliverDueWebhooks(env.DB, id, T0 + 60 * MIN, fetcher)).toMatchObject({ delivered: 0, nextAt: null });
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it("retries after a 500 and after a thrown fetch, two minutes later, then four", async () => {
    const { id } = await queued(A, B);
    const failing = fakeFetch((url) => {
      if (url === A) return new Response("boom", { status: 500 });
      throw new TypeError("connection refused");
    });
    expect(await deliverDueWebhooks(env.DB, id, T0, failing)).toEqual({ delivered: 0, failed: 2, abandoned: 0, nextAt: T0 + 2 * MIN });
    expect(await state(id)).toEqual([
      { url: A, state: "pending", attempts: 1, next: T0 + 2 * MIN, error: "HTTP 500" },
      { url: B, state: "pending", attempts: 1, next: T0 + 2 * MIN, error: "TypeError: connection refused" },
    ]);

    // not due yet: nothing is tried
    expect(await deliverDueWebhooks(env.DB, id, T0 + MIN, failing)).toMatchObject({ delivered: 0, failed: 0, nextAt: T0 + 2 * MIN });
    expect(failing).toHaveBeenCalledTimes(2);

    expect(await deliverDueWebhooks(env.DB, id, T0 + 2 * MIN, failing)).toMatchObject({ failed: 2, nextAt: T0 + 6 * MIN });
    const ok = fakeFetch(() => new Response(null, { status: 204 }));
    expect(await deliverDueWebhooks(env.DB, id, T0 + 6 * MIN, ok)).toEqual({ delivered: 2, failed: 0, abandoned: 0, nextAt: null });
    expect((await state(id)).map((w) => [w.state, w.attempts, w.error])).toEqual([
      ["delivered", 3, null],
      ["delivered", 3, null],
    ]);
  });

  it("abandons a delivery after the last attempt, about an hour after the first", async () => {
    const { id } = await queued(A);
    const failing = fakeFetch(() => new Response("nope", { status: 503 }));
    let now = T0;
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      const round = await deliverDueWebhooks(env.DB, id, now, failing);
      if (attempt < WEBHOOK_ATTEMPTS) {
        expect(round).toMatchObject({ failed: 1, abandoned: 0, nextAt: now + 2 ** attempt * MIN });
        now = round.nextAt!;
      } else {
        expect(round).toEqual({ delivered: 0, failed: 0, abandoned: 1, nextAt: null });
      }
    }
    // the sixth attempt came 2 + 4 + 8 + 16 + 32 minutes after the first
    expect(now - T0).toBe(62 * MIN);
    expect(failing).toHaveBeenCalledTimes(WEBHOOK_ATTEMPTS);
    expect(await state(id)).toEqual([{ url: A, state: "abandoned", attempts: WEBHOOK_ATTEMPTS, next: now, error: "HTTP 503" }]);
    expect(await deliverDueWebhooks(env.DB, id, now + 24 * 60 * MIN, failing)).toMatchObject({ abandoned: 0, nextAt: null });
    expect(failing).toHaveBeenCalledTimes(WEBHOOK_ATTEMPTS);
  });

  it("delivers the other URLs while some fail", async () => {
    const { id } = await queued(A, B, "https://hooks.example.com/c");
    const fetcher = vi.fn<typeof fetch>(async (input, init) => {
      if (String(input) === A) throw new Error("dns failure");
      // each attempt has a timeout of its own
      expect(init?.signal?.aborted).toBe(false);
      if (String(input) === B) return new Response("teapot", { status: 418 });
      return new Response("ok");
    });
    expect(await deliverDueWebhooks(env.DB, id, T0, fetcher)).toMatchObject({ delivered: 1, failed: 2 });
    expect((await state(id)).map((w) => w.state)).toEqual(["pending", "pending", "delivered"]);
  });

  it("spaces retries 2, 4, 8, 16 and 32 minutes apart", () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelay)).toEqual([2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN, 32 * MIN, null]);
  });
});
