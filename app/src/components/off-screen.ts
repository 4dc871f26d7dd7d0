/**
 * Updates to panels out of sight, put off until the page is idle. A live
 * batch changes every panel of a view, yet only the ones on screen need the
 * frame that follows it: the charts, lists and tables below the fold are
 * rebuilt after that frame, when the page has nothing else to do (or within
 * a second at most), and at once when scrolled into view. What the page holds
 * is therefore never stale for more than a moment, for find-in-page and
 * screen readers too, while a live update's frame redraws only what is seen.
 */
import { createMemo, createSignal, onCleanup, type Accessor } from "solid-js";

/** The longest an update out of sight waits for an idle moment. */
const IDLE_TIMEOUT_MS = 1000;
/** Panels this close to the viewport count as on screen, so one scrolled to is already current. */
const MARGIN = "200px 0px";

type Watcher = (onScreen: boolean) => void;
const watchers = new WeakMap<Element, Watcher>();
let observer: IntersectionObserver | null = null;

function observe(el: Element, watcher: Watcher): () => void {
  if (typeof IntersectionObserver === "undefined") return () => undefined;
  observer ??= new IntersectionObserver((entries) => entries.forEach((e) => watchers.get(e.target)?.(e.isIntersecting)), { rootMargin: MARGIN });
  watchers.set(el, watcher);
  observer.observe(el);
  return () => {
    watchers.delete(el);
    observer?.unobserve(el);
  };
}

function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(task, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(task, 50);
}

/** An accessor that follows `value` at once on screen and at the next idle moment off it; `ref` marks the element whose visibility counts. */
export interface HeldOffScreen<T> {
  (): T;
  ref(el: Element): void;
}

/**
 * `value`, held while the element given to `ref` is out of sight. A first
 * value, or a change to or from `undefined` (a new workspace, a run starting
 * over), passes at once, so a panel never shows another run's results.
 */
export function heldOffScreen<T>(value: Accessor<T>): HeldOffScreen<T> {
  // on screen until the observer says otherwise: its first report comes after layout
  const [onScreen, setOnScreen] = createSignal(true);
  const [flushes, setFlushes] = createSignal(0);
  let taken = 0;
  let flushPending = false;
  let stop: (() => void) | undefined;
  onCleanup(() => stop?.());

  const held = createMemo<T | undefined>((prev) => {
    const next = value();
    const flush = flushes();
    if (onScreen() || prev === undefined || next === undefined || flush !== taken) {
      taken = flush;
      return next;
    }
    if (!flushPending && prev !== next) {
      flushPending = true;
      whenIdle(() => {
        flushPending = false;
        setFlushes((n) => n + 1);
      });
    }
    return prev;
  }, undefined) as Accessor<T>;

  const accessor = (() => held()) as HeldOffScreen<T>;
  accessor.ref = (el) => {
    stop?.();
    stop = observe(el, setOnScreen);
  };
  return accessor;
}
