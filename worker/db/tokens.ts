/** SQL for workspace tokens. Secrets never reach this module: only their hashes. */
import type { TokenRow } from "./rows.ts";

const COLUMNS = "id, workspace_id, kind, label, hash, created_at, expires_at, revoked_at";

export function insertTokenStatement(db: D1Database, t: TokenRow): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO tokens (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`)
    .bind(t.id, t.workspace_id, t.kind, t.label, t.hash, t.created_at, t.expires_at, t.revoked_at);
}

export async function insertToken(db: D1Database, t: TokenRow): Promise<void> {
  await insertTokenStatement(db, t).run();
}

export async function findTokenByHash(db: D1Database, hash: string): Promise<TokenRow | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE hash = ?1`).bind(hash).first<TokenRow>();
}

export async function listTokens(db: D1Database, workspaceId: string): Promise<TokenRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM tokens WHERE workspace_id = ?1 ORDER BY created_at, id`)
    .bind(workspaceId)
    .all<TokenRow>();
  return results;
}

export async function findToken(db: D1Database, workspaceId: string, id: string): Promise<TokenRow | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE workspace_id = ?1 AND id = ?2`).bind(workspaceId, id).first<TokenRow>();
}

/** Active admin tokens other than `exceptId`: revoking the last one would lock the workspace. */
export async function countOtherActiveAdmins(db: D1Database, workspaceId: string, exceptId: string, now: number): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM tokens WHERE workspace_id = ?1 AND kind = 'admin' AND id != ?2
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?3)`,
    )
    .bind(workspaceId, exceptId, now)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Marks a token revoked; a token already revoked keeps its first revocation time. */
export async function revokeToken(db: D1Database, workspaceId: string, id: string, now: number): Promise<void> {
  await db
    .prepare("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?3) WHERE workspace_id = ?1 AND id = ?2")
    .bind(workspaceId, id, now)
    .run();
}
