// What the store needs of D1: the database itself or a Sessions API session (which may read a replica).
export type D1Like = Pick<D1Database, 'prepare' | 'batch'>;

/**
 * A D1 Sessions API session that may be served by the nearest read replica (`first-unconstrained`),
 * for reads where a second of replication lag is harmless. Falls back to the database itself where
 * the binding has no Sessions API (older runtimes, the admin CLI's shim).
 */
export function replicaReader(db: D1Database): D1Like {
  return typeof db.withSession === 'function' ? db.withSession('first-unconstrained') : db;
}

export function parseJsonArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
