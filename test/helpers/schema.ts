// Splits schema.sql into statements and applies them in one batch.
export function splitStatements(sql: string): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  return withoutComments.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
}

export async function applySchema(db: D1Database, sql: string): Promise<void> {
  await db.batch(splitStatements(sql).map((s) => db.prepare(s)));
}
