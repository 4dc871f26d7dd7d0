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

/**
 * Marks a token revoked, unless it is the workspace's last live admin token,
 * which would lock everyone out. One statement, so two admins revoking each
 * other at once cannot both succeed. A token already revoked keeps its first
 * revocation time. Returns whether the token is now revoked.
 */
export async function revokeToken(db: D1Database, workspaceId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?3)
        WHERE workspace_id = ?1 AND id = ?2
          AND (kind != 'admin' OR revoked_at IS NOT NULL OR EXISTS (
            SELECT 1 FROM tokens AS other
             WHERE other.workspace_id = ?1 AND other.kind = 'admin' AND other.id != ?2
               AND other.revoked_at IS NULL AND (other.expires_at IS NULL OR other.expires_at > ?3)))`,
    )
    .bind(workspaceId, id, now)
    .run();
  return result.meta.changes > 0;
}
