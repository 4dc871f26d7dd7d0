/**
 * The bare-insert baseline: `POST /events` with `{ events }` goes straight into
 * the product's `events` table. No auth, validation or dedupe, so the bench can
 * tell what the product's checks cost on top of D1 itself. Rows are written with
 * the product's technique (one bound JSON parameter per statement, read by
 * `json_each`, all statements in one `db.batch`), minus `ON CONFLICT`.
 *
 * It declares the few D1 shapes it uses instead of relying on Workers globals,
 * so it type-checks both with Workers types (./tsconfig.json) and with the
 * node types of tests/tsconfig.json.
 */

interface Statement {
  bind(...values: unknown[]): Statement;
}
interface Database {
  prepare(sql: string): Statement;
  batch(statements: Statement[]): Promise<{ meta: { changes: number } }[]>;
}
interface Env {
  DB: Database;
}
interface BareEvent {
  id: string;
  ts: string | number;
  type: string;
  name: string;
  props?: Record<string, unknown>;
}

/** All bench events go to one workspace: the bare worker has no workspaces. */
const WORKSPACE_ID = "ws_bench_bare";
/** The product's chunk size, so both send D1 statements of the same size. */
const CHUNK_CHARS = 90_000;
const INSERT_SQL = `INSERT INTO events (workspace_id, id, ts, received_at, type, name, props)
  SELECT ?1, e.value ->> 0, e.value ->> 1, ?2, e.value ->> 2, e.value ->> 3, e.value ->> 4
  FROM json_each(?3) AS e`;

async function insert(db: Database, events: BareEvent[], receivedAt: number): Promise<number> {
  const statements: Statement[] = [];
  let rows: string[] = [];
  let chars = 0;
  const flush = () => {
    statements.push(db.prepare(INSERT_SQL).bind(WORKSPACE_ID, receivedAt, `[${rows.join(",")}]`));
    rows = [];
    chars = 0;
  };
  for (const e of events) {
    // ts is converted, not checked: the stored row must match the product's (epoch ms)
    const ts = typeof e.ts === "number" ? e.ts : Date.parse(e.ts);
    const row = JSON.stringify([e.id, ts, e.type, e.name, JSON.stringify(e.props ?? {})]);
    if (chars + row.length > CHUNK_CHARS && rows.length > 0) flush();
    rows.push(row);
    chars += row.length + 1;
  }
  if (rows.length > 0) flush();
  if (statements.length === 0) return 0;
  const results = await db.batch(statements);
  return results.reduce((n, r) => n + r.meta.changes, 0);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/events") {
      return new Response("not found", { status: 404 });
    }
    const { events } = (await request.json()) as { events: BareEvent[] };
    const inserted = await insert(env.DB, events, Date.now());
    return Response.json({ inserted });
  },
};
