/**
 * The page's first drawn results. A cold open's critical path is the
 * aggregation worker reading IndexedDB and then running the view's queries;
 * on a two-core machine everything else the page starts (the sync's first
 * pull, the live socket, the storage report, the service worker's
 * registration, and parsing their code) competes with it for a core. Such
 * work waits here until the first results are painted, or the page shows
 * something that draws no results, or at the latest `LATEST_MS` after the
 * page started.
 */
import { createRoot, createSignal, type Accessor } from "solid-js";

const LATEST_MS = 3000;

const [drawn, setDrawn] = createRoot(() => createSignal(false));
const waiting = new Set<() => void>();
let marking = false;

function settle(): void {
  if (drawn()) return;
  setDrawn(true);
  const due = [...waiting];
  waiting.clear();
  for (const fn of due) fn();
}

/** True once the first results are painted (or nothing is to be drawn). */
export const firstDrawn: Accessor<boolean> = drawn;

/** The first results are rendered: once the next frame has painted them, what waits may start. */
export function markFirstResults(): void {
  if (marking) return;
  marking = true;
  // a task queued from the next frame runs after that frame's paint
  requestAnimationFrame(() => setTimeout(settle));
}

/** The page shows no results to wait for (home, an empty or unknown workspace, an error). */
export function markNothingToDraw(): void {
  marking = true;
  settle();
}

/** Calls `fn` once the first results are drawn (at once if they are); returns a cancel. */
export function afterFirstDraw(fn: () => void): () => void {
  if (drawn()) {
    fn();
    return () => undefined;
  }
  waiting.add(fn);
  return () => void waiting.delete(fn);
}

setTimeout(markNothingToDraw, LATEST_MS);
