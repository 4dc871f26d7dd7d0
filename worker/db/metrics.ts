/**
 * SQL for the Prometheus metrics. Events are folded into running totals
 * (metric_rollups) up to workspaces.rollup_seq, and a scrape reads those
 * totals plus the events not folded yet, so it never scans the whole log and
 * its counters never go down when retention deletes events. Everything is
 * aggregated by GROUP BY; a label's values beyond its top N (by events) are
 * grouped as "other", which bounds a scrape's size whatever senders put in
 * props. Prop names and limits below are constants of this module, never
 * request input, so they are spliced into the SQL text.
 */
import { NONE_LABEL } from "../../shared/engine/values.ts";

/** Upper bounds (ms) of the latency histogram; they name metric_rollups' le_* columns, so changing them needs a migration. */
export const LATENCY_BOUNDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** The label value that stands for every value beyond a label's top N. */
export const OTHER_LABEL = "other";

/** Each family's labels and how many values of each are kept apart; the rest become "other". */
export const FAMILY_LABELS = {
  request: { endpoint: 200, method: 20, status: 60, protocol: 20 },
  test: { suite: 200, status: 20 },
  job: { provider: 50, status: 20 },
} as const;

type Family = keyof typeof FAMILY_LABELS;

/** Mocks reported in the drift gauge, highest drift first. */
export const MOCK_SERIES_CAP = 200;

const BUCKET_COLUMNS = LATENCY_BOUNDS.map((b) => `le_${b}`);
const TOTAL_COLUMNS = ["n", "errors", "value_n", "value_sum", ...BUCKET_COLUMNS];

/** A prop as label text: a number as its text, a boolean as true/false, a missing prop as the app's "(none)". */
function label(key: string): string {
  const path = `'$.${key}'`;
  return `COALESCE(CASE json_type(props, ${path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    ELSE CAST(props ->> ${path} AS TEXT) END, '${NONE_LABEL}')`;
}

/**
 * A prop as a number: a JSON number, or text holding exactly a JSON number
 * ("41"), as the app's engine reads numeric text; otherwise NULL. CASE, not
 * AND, guards json_type, which fails on text that is not JSON.
 */
function num(key: string): string {
  const path = `'$.${key}'`;
  const raw = `props ->> ${path}`;
  return `(CASE json_type(props, ${path}) WHEN 'integer' THEN ${raw} WHEN 'real' THEN ${raw}
    WHEN 'text' THEN CASE WHEN json_valid(${raw}) AND trim(${raw}, ' ' || char(9, 10, 13)) = ${raw}
      THEN CASE WHEN json_type(${raw}) IN ('integer', 'real') THEN CAST(${raw} AS REAL) END END END)`;
}

const LABELS_SQL = `CASE type ${Object.entries(FAMILY_LABELS)
  .map(([family, labels]) => `WHEN '${family}' THEN json_array(${Object.keys(labels).map(label).join(", ")})`)
  .join(" ")} ELSE '[]' END`;

/**
 * Events matching `where`, summed per family (the event type) and label
 * values, in metric_rollups' columns. The value is latency_ms for requests and
 * cost_usd for jobs; negative, infinite and non-numeric values are left out.
 */
function aggregateSql(where: string): string {
  const buckets = LATENCY_BOUNDS.map((b) => `COUNT(CASE WHEN type = 'request' AND v <= ${b} THEN 1 END) AS le_${b}`).join(", ");
  return `SELECT type AS family, labels, COUNT(*) AS n, SUM(err) AS errors, COUNT(v) AS value_n, TOTAL(v) AS value_sum, ${buckets}
    FROM (SELECT type, labels, err, CASE WHEN raw >= 0 AND raw < 1e308 THEN raw END AS v
      FROM (SELECT type, ${LABELS_SQL} AS labels,
              CASE WHEN type = 'request' AND ${num("status")} >= 500 THEN 1 ELSE 0 END AS err,
              CASE type WHEN 'request' THEN ${num("latency_ms")} WHEN 'job' THEN ${num("cost_usd")} END AS raw
            FROM events WHERE ${where}))
    GROUP BY type, labels`;
}

const WATERMARK = "COALESCE((SELECT rollup_seq FROM workspaces WHERE id = ?1), 0)";

/** Adds the sums of `aggregateSql(where)` to the workspace's (?1) rollups. */
function foldSql(where: string): string {
  const columns = ["family", "labels", ...TOTAL_COLUMNS].join(", ");
  const add = TOTAL_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ");
  // the WHERE true settles the INSERT ... SELECT ... ON CONFLICT ambiguity of SQLite's grammar
  return `INSERT INTO metric_rollups (workspace_id, ${columns})
    SELECT ?1, ${columns} FROM (${aggregateSql(where)}) WHERE true
    ON CONFLICT (workspace_id, family, labels) DO UPDATE SET ${add}`;
}

// ?1 workspace, ?2 chunk size: the next events past the watermark
const NEXT_CHUNK = `SELECT seq FROM events WHERE workspace_id = ?1 AND seq > ${WATERMARK} ORDER BY seq LIMIT ?2`;

/**
 * Folds the workspace's next `limit` unfolded events into its rollups and
 * moves its watermark past them, in one transaction. The statements read the
 * watermark themselves, so two runs at once cannot fold an event twice.
 * Returns how many events were folded.
 */
export async function foldNextChunk(db: D1Database, workspaceId: string, limit: number): Promise<number> {
  const [count] = await db.batch<{ n: number }>([
    db.prepare(`SELECT COUNT(*) AS n FROM (${NEXT_CHUNK})`).bind(workspaceId, limit),
    db.prepare(foldSql(`workspace_id = ?1 AND seq IN (${NEXT_CHUNK})`)).bind(workspaceId, limit),
    db
      .prepare(`UPDATE workspaces SET rollup_seq = COALESCE((SELECT MAX(seq) FROM (${NEXT_CHUNK})), rollup_seq) WHERE id = ?1`)
      .bind(workspaceId, limit),
  ]);
  return count!.results[0]!.n;
}

/** Workspaces with events not folded yet. */
export async function workspacesToFold(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM workspaces AS w
        WHERE EXISTS (SELECT 1 FROM events WHERE workspace_id = w.id AND seq > w.rollup_seq) ORDER BY id`,
    )
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * The statement that folds the events of `chunk` (a SELECT of seqs, with
 * ?1 the workspace) not folded yet; retention runs it just before deleting
 * the chunk, in the same transaction.
 */
export function foldBeforeDelete(db: D1Database, chunk: string): D1PreparedStatement {
  return db.prepare(foldSql(`workspace_id = ?1 AND seq IN (${chunk}) AND seq > ${WATERMARK}`));
}

/** One series' totals: events, server errors, and the value's count, sum and histogram buckets (cumulative). */
export interface Totals {
  n: number;
  errors: number;
  valueCount: number;
  valueSum: number;
  buckets: number[];
}

/** Totals of one family per label values (keys as in FAMILY_LABELS). */
export interface FamilyRow<F extends Family> {
  labels: Record<keyof (typeof FAMILY_LABELS)[F], string>;
  totals: Totals;
}

/** The rollups and the unfolded events of one family, summed per capped label values. */
function familySql(family: Family): string {
  const caps = Object.entries(FAMILY_LABELS[family]) as [string, number][];
  const split = caps.map((_, i) => `labels ->> ${i} AS l${i}`).join(", ");
  const tops = caps.map(([, cap], i) => `top${i} AS (SELECT l${i} FROM split GROUP BY l${i} ORDER BY SUM(n) DESC, l${i} LIMIT ${cap})`);
  const capped = caps.map(([name], i) => `CASE WHEN l${i} IN (SELECT l${i} FROM top${i}) THEN l${i} ELSE '${OTHER_LABEL}' END AS ${name}`);
  const sums = TOTAL_COLUMNS.map((c) => (c === "value_sum" ? `TOTAL(${c}) AS ${c}` : `SUM(${c}) AS ${c}`)).join(", ");
  const names = caps.map(([name]) => name).join(", ");
  return `WITH base AS (
      SELECT labels, ${TOTAL_COLUMNS.join(", ")} FROM metric_rollups WHERE workspace_id = ?1 AND family = '${family}'
      UNION ALL
      SELECT labels, ${TOTAL_COLUMNS.join(", ")} FROM (${aggregateSql(`workspace_id = ?1 AND type = '${family}' AND seq > ${WATERMARK}`)})
    ), split AS (SELECT ${split}, ${TOTAL_COLUMNS.join(", ")} FROM base),
    ${tops.join(",\n    ")}
    SELECT ${capped.join(", ")}, ${sums} FROM split GROUP BY ${names} ORDER BY ${names}`;
}

const EVENTS_BY_TYPE_SQL = `SELECT type, SUM(n) AS n FROM (
    SELECT family AS type, n FROM metric_rollups WHERE workspace_id = ?1
    UNION ALL
    SELECT type, COUNT(*) AS n FROM events WHERE workspace_id = ?1 AND seq > ${WATERMARK} GROUP BY type
  ) GROUP BY type ORDER BY type`;

// the latest mock event (by event time) of each endpoint and method that reports a drift
const MOCK_DRIFT_SQL = `SELECT endpoint, method, drift FROM (
    SELECT endpoint, method, drift, ROW_NUMBER() OVER (PARTITION BY endpoint, method ORDER BY ts DESC, seq DESC) AS latest
      FROM (SELECT ${label("endpoint")} AS endpoint, ${label("method")} AS method, ${num("drift")} AS drift, ts, seq
              FROM events WHERE workspace_id = ?1 AND type = 'mock')
     WHERE drift IS NOT NULL)
  WHERE latest = 1 ORDER BY drift DESC, endpoint, method LIMIT ${MOCK_SERIES_CAP}`;

/** Everything a scrape shows, read in one transaction so the figures agree with each other. */
export interface MetricRows {
  eventsByType: { type: string; n: number }[];
  request: FamilyRow<"request">[];
  test: FamilyRow<"test">[];
  job: FamilyRow<"job">[];
  mockDrift: { endpoint: string; method: string; drift: number }[];
}

type TotalsRow = Record<string, string | number>;

function toFamilyRow<F extends Family>(family: F, row: TotalsRow): FamilyRow<F> {
  const labels = Object.fromEntries(Object.keys(FAMILY_LABELS[family]).map((name) => [name, String(row[name])]));
  return {
    labels: labels as FamilyRow<F>["labels"],
    totals: {
      n: Number(row["n"]),
      errors: Number(row["errors"]),
      valueCount: Number(row["value_n"]),
      valueSum: Number(row["value_sum"]),
      buckets: BUCKET_COLUMNS.map((c) => Number(row[c])),
    },
  };
}

export async function readMetrics(db: D1Database, workspaceId: string): Promise<MetricRows> {
  const [types, request, test, job, mocks] = await db.batch<TotalsRow>(
    [EVENTS_BY_TYPE_SQL, familySql("request"), familySql("test"), familySql("job"), MOCK_DRIFT_SQL].map((sql) => db.prepare(sql).bind(workspaceId)),
  );
  return {
    eventsByType: types!.results.map((r) => ({ type: String(r["type"]), n: Number(r["n"]) })),
    request: request!.results.map((r) => toFamilyRow("request", r)),
    test: test!.results.map((r) => toFamilyRow("test", r)),
    job: job!.results.map((r) => toFamilyRow("job", r)),
    mockDrift: mocks!.results.map((r) => ({ endpoint: String(r["endpoint"]), method: String(r["method"]), drift: Number(r["drift"]) })),
  };
}
