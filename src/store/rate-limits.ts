// Attempt counters in D1: one atomic upsert per counter, so parallel attempts each see a distinct count.
import type { D1Like } from './db.ts';

function upsert(db: D1Like, key: string, windowSeconds: number, now: number): D1PreparedStatement {
  // In ON CONFLICT DO UPDATE, bare column names are the existing row: a window that has run out restarts at 1.
  return db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
       RETURNING count, window_start`,
    )
    .bind(key, now, windowSeconds);
}

/** Counts one attempt on each key in one batch; returns each key's count including this attempt. */
export async function countAttempts(db: D1Like, keys: string[], windowSeconds: number, now: number): Promise<number[]> {
  if (keys.length === 0) return [];
  const results = await db.batch(keys.map((key) => upsert(db, key, windowSeconds, now)));
  return results.map((r) => (r.results[0] as { count: number } | undefined)?.count ?? 0);
}

/** Counts one attempt on one key; returns its count including this attempt and when its window started. */
export async function countAttempt(db: D1Like, key: string, windowSeconds: number, now: number): Promise<{ count: number; windowStart: number }> {
  const [result] = await db.batch([upsert(db, key, windowSeconds, now)]);
  const row = result?.results[0] as { count: number; window_start: number } | undefined;
  return { count: row?.count ?? 0, windowStart: row?.window_start ?? now };
}

/** Success: the attempt counted in advance is given back. */
export async function releaseAttempt(db: D1Like, key: string): Promise<void> {
  await db.prepare('UPDATE rate_limits SET count = MAX(count - 1, 0) WHERE key = ?').bind(key).run();
}

export function pruneRateLimitsStatement(db: D1Like, olderThan: number): D1PreparedStatement {
  return db.prepare('DELETE FROM rate_limits WHERE window_start < ?').bind(olderThan);
}
