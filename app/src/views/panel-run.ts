/**
 * Runs a view's queries in the aggregation worker, all in one `run` call,
 * whenever the job's key changes (filters, range, new data). The previous
 * results stay on screen while new ones compute, so live updates never
 * flash a loading state; a late answer to an outdated job is dropped. A job
 * that can read partial results draws its first run panel by panel, as the
 * worker answers each query (later runs replace the whole at once, so a live
 * update redraws once).
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
  /** Reads the results so far (undefined where a query is still computing), for a first run drawn as it arrives. */
  partial?(results: readonly (QueryResult | undefined)[]): T;
}

export interface PanelRun<T> {
  /** The latest results; undefined until the first arrive. */
  value: Accessor<T | undefined>;
  /** A job is running (the first, or a refresh behind `value`). */
  pending: Accessor<boolean>;
  error: Accessor<string | null>;
}

export function createPanelRun<T>(services: Services, job: Accessor<Job<T> | null>): PanelRun<T> {
  let first = true;
  return createKeyedRun(job, (j, show) => {
    const partial = first ? j.partial : undefined;
    first = false;
    if (!partial) return services.aggregator.run(j.queries).then((results) => j.read(results));
    const results: (QueryResult | undefined)[] = j.queries.map(() => undefined);
    let answered = 0;
    return new Promise<T>((resolve, reject) => {
      const whole = () => {
        try {
          resolve(j.read(results as QueryResult[]));
        } catch (err) {
          reject(err);
        }
      };
      services.aggregator
        .runEach(j.queries, (i, result) => {
          results[i] = result;
          // the last result completes the run: the call's own answer waits for the page's replies,
          // and the worker may meanwhile have started the next job (the filter options)
          if (++answered < results.length) show(partial(results));
          else whole();
        })
        .then(() => answered < results.length && whole(), reject);
    });
  });
}

/**
 * Runs `run` for the job whenever its key changes, keeping the last value on
 * screen meanwhile and dropping a late answer to an outdated job: what every
 * view's work in the aggregation worker goes through.
 */
export function createKeyedRun<J extends { key: string }, T>(job: Accessor<J | null>, run: (job: J, show: (partial: T) => void) => Promise<T>): PanelRun<T> {
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
    const show = (partial: T) => {
      if (mine === latest) setValue(() => partial);
    };
    run(j, show).then(
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
