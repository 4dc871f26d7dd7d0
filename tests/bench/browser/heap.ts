/**
 * Samples the JS heaps of a page and of its dedicated workers (the
 * aggregation worker) through CDP, every ~50 ms. A page's workers run in
 * isolates of their own, which the page's Runtime.getHeapUsage does not count,
 * so the sampler auto-attaches to them from the page's session. Playwright's
 * CDPSession cannot address flattened child sessions, so they are attached
 * unflattened and spoken to through Target.sendMessageToTarget.
 *
 * A heap here is V8's used heap plus the ArrayBuffer backing stores it keeps
 * outside that heap (`backingStorageSize`): the events' typed arrays live
 * there, and leaving them out would leave out the data itself.
 */
import type { BrowserContext, CDPSession, Page } from "playwright-core";

interface HeapUsage {
  usedSize: number;
  backingStorageSize: number;
}

export interface HeapSample {
  /** ms since sampling started. */
  at: number;
  page: number;
  /** Summed over the page's dedicated workers. */
  workers: number;
  /** Workers attached at the time. */
  workerCount: number;
}

export interface HeapSampler {
  /**
   * Stops sampling, then forces a full GC in the page and its workers and
   * returns every sample taken, and the heaps after that GC: what is live,
   * without garbage V8 had no reason to collect yet.
   */
  stop(): Promise<{ samples: HeapSample[]; afterGc: HeapSample | undefined }>;
}

const INTERVAL_MS = 50;
const CALL_TIMEOUT_MS = 2_000;

function bytes(h: HeapUsage): number {
  return h.usedSize + (h.backingStorageSize ?? 0);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((ok) => setTimeout(() => ok(undefined), ms))]);
}

/** Starts sampling `page` (call before navigating it, so workers are seen from their start). */
export async function sampleHeaps(context: BrowserContext, page: Page): Promise<HeapSampler> {
  const cdp: CDPSession = await context.newCDPSession(page);
  const workers = new Set<string>();
  const replies = new Map<number, (result: HeapUsage | undefined) => void>();
  let nextId = 1;

  cdp.on("Target.attachedToTarget", (e) => {
    if (e.targetInfo.type === "worker") workers.add(e.sessionId);
  });
  cdp.on("Target.detachedFromTarget", (e) => workers.delete(e.sessionId));
  cdp.on("Target.receivedMessageFromTarget", (e) => {
    const message = JSON.parse(e.message) as { id?: number; result?: HeapUsage };
    if (message.id !== undefined) replies.get(message.id)?.(message.result);
  });
  await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  const toWorker = async (sessionId: string, method: string): Promise<HeapUsage | undefined> => {
    const id = nextId++;
    const reply = new Promise<HeapUsage | undefined>((ok) => replies.set(id, ok));
    try {
      await cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method }) });
      return await within(reply, CALL_TIMEOUT_MS);
    } catch {
      return undefined; // the worker went away
    } finally {
      replies.delete(id);
    }
  };
  // during a navigation's commit the page may not answer; such a sample is skipped
  const pageHeap = (): Promise<HeapUsage | undefined> => within(cdp.send("Runtime.getHeapUsage").catch(() => undefined), CALL_TIMEOUT_MS);

  const started = performance.now();
  const sample = async (): Promise<HeapSample | undefined> => {
    const at = performance.now() - started;
    const [page, ...perWorker] = await Promise.all([pageHeap(), ...[...workers].map((w) => toWorker(w, "Runtime.getHeapUsage"))]);
    if (page === undefined) return undefined;
    const answered = perWorker.filter((w): w is HeapUsage => w !== undefined);
    return { at, page: bytes(page), workers: answered.reduce((a, w) => a + bytes(w), 0), workerCount: answered.length };
  };

  const samples: HeapSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const tick = performance.now();
      const s = await sample();
      if (s) samples.push(s);
      await new Promise((ok) => setTimeout(ok, Math.max(0, INTERVAL_MS - (performance.now() - tick))));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([cdp.send("HeapProfiler.collectGarbage").catch(() => undefined), ...[...workers].map((w) => toWorker(w, "HeapProfiler.collectGarbage"))]);
      const afterGc = await sample();
      await cdp.detach().catch(() => undefined);
      return { samples, afterGc };
    },
  };
}
