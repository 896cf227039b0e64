// Recovery codes in D1: keyed digests (src/crypto/recovery-codes.ts), each consumed once by a conditional UPDATE.
import type { D1Like } from './db.ts';

export function deleteRecoveryCodesStatement(db: D1Like, userId: string): D1PreparedStatement {
  return db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').bind(userId);
}

function insertRecoveryCodeStatement(db: D1Like, userId: string, digest: string, now: number): D1PreparedStatement {
  return db.prepare('INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)').bind(userId, digest, now);
}

/** A new set replaces the old one in one batch (one transaction): the old codes stop working as the new ones start. */
export async function replaceRecoveryCodes(db: D1Like, userId: string, digests: readonly string[], now: number): Promise<void> {
  await db.batch([deleteRecoveryCodesStatement(db, userId), ...digests.map((d) => insertRecoveryCodeStatement(db, userId, d, now))]);
}

/**
 * A first set only when the user has no unused code, decided inside one batch (one transaction): true when
 * these digests were stored. The old used codes go with it, so the count of codes restarts at ten.
 */
export async function insertRecoveryCodesIfNone(db: D1Like, userId: string, digests: readonly string[], now: number): Promise<boolean> {
  const marks = digests.map(() => '?').join(', ');
  const othersUnused = `NOT EXISTS (SELECT 1 FROM recovery_codes WHERE user_id = ? AND used_at IS NULL AND code_hash NOT IN (${marks}))`;
  const [, first] = await db.batch([
    db.prepare(`DELETE FROM recovery_codes WHERE user_id = ? AND ${othersUnused}`).bind(userId, userId, ...digests),
    ...digests.map((d) => db.prepare(`INSERT INTO recovery_codes (user_id, code_hash, created_at) SELECT ?, ?, ? WHERE ${othersUnused}`)
      .bind(userId, d, now, userId, ...digests)),
  ]);
  return (first?.meta.changes ?? 0) > 0;
}

export async function countUnusedRecoveryCodes(db: D1Like, userId: string): Promise<number> {
  const row = await db.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').bind(userId).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Marks the code used, once: the UPDATE's WHERE used_at IS NULL decides between concurrent uses, on the primary.
 * `digests` are the typed code's digests under each key version. Returns how many unused codes remain, or null
 * when no unused code matched.
 */
export async function consumeRecoveryCode(db: D1Like, userId: string, digests: readonly string[], now: number): Promise<number | null> {
  const marks = digests.map(() => '?').join(', ');
  const [used, left] = await db.batch([
    db.prepare(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash IN (${marks}) AND used_at IS NULL RETURNING code_hash`)
      .bind(now, userId, ...digests),
    db.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').bind(userId),
  ]);
  if (!used?.results.length) return null;
  return (left?.results[0] as { n: number } | undefined)?.n ?? 0;
}
