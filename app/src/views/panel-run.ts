/**
 * Runs a view's queries in the aggregation worker, all in one `run` call,
 * whenever the job's key changes (filters, range, new data). The previous
 * results stay on screen while new ones compute, so live updates never
 * flash a loading state; a late answer to an outdated job is dropped.
 */
import { createEffect, createMemo, createSignal, type Accessor } from "solid-js";
import type { Query, QueryResult } from "../../../shared/query.ts";
import { markFirstResults } from "./first-draw.ts";
import type { Services } from "./services.tsx";

export interface Job<T> {
  /** Equal keys mean equal results: the job is not re-run. */
  key: string;
  queries: Query[];
  read(results: QueryResult[]): T;
}

export interface PanelRun<T> {
  /** The latest results; undefined until the first arrive. */
  value: Accessor<T | undefined>;
  /** A job is running (the first, or a refresh behind `value`). */
  pending: Accessor<boolean>;
  error: Accessor<string | null>;
}

export function createPanelRun<T>(services: Services, job: Accessor<Job<T> | null>): PanelRun<T> {
  return createKeyedRun(job, (j) => services.aggregator.run(j.queries).then((results) => j.read(results)));
}

/**
 * Runs `run` for the job whenever its key changes, keeping the last value on
 * screen meanwhile and dropping a late answer to an outdated job: what every
 * view's work in the aggregation worker goes through.
 */
export function createKeyedRun<J extends { key: string }, T>(job: Accessor<J | null>, run: (job: J) => Promise<T>): PanelRun<T> {
  const [value, setValue] = createSignal<T>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const current = createMemo(job, null, { equals: (a, b) => a?.key === b?.key });
  let latest = 0;

  createEffect(() => {
    const j = current();
    if (j === null) return;
    const mine = ++latest;
    setPending(true);
    run(j).then(
      (result) => {
        if (mine !== latest) return;
        setValue(() => result);
        setError(null);
        setPending(false);
        markFirstResults();
      },
      (err: unknown) => {
        if (mine !== latest) return;
        setError(err instanceof Error ? err.message : String(err));
        setPending(false);
        markFirstResults();
      },
    );
  });

  return { value, pending, error };
}
