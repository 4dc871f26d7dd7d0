/** SQL for workspaces. */
import type { TokenRow, WorkspaceRow } from "./rows.ts";
import { insertTokenStatement } from "./tokens.ts";

/** Creates a workspace and its first tokens in one transaction. */
export async function insertWorkspace(db: D1Database, ws: WorkspaceRow, tokens: TokenRow[]): Promise<void> {
  await db.batch([
    db
      .prepare("INSERT INTO workspaces (id, name, demo, created_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(ws.id, ws.name, ws.demo, ws.created_at),
    ...tokens.map((t) => insertTokenStatement(db, t)),
  ]);
}

export async function findWorkspace(db: D1Database, id: string): Promise<WorkspaceRow | null> {
  return db.prepare("SELECT id, name, demo, created_at FROM workspaces WHERE id = ?1").bind(id).first<WorkspaceRow>();
}
