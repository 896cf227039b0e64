// Counting proxies for the D1 and KV bindings: every storage round trip a request makes, classified and timed.
import type { OpKind } from '../lib/ops.ts';

export { OP_KINDS, type OpKind } from '../lib/ops.ts';

export interface Op {
  seq: number;
  kind: OpKind;
  /** The SQL (first statement of a batch) or the KV method and key prefix: enough to recognise it. */
  what: string;
  /** Ops still in flight when this one started: overlapping ops cost one round trip together. */
  inflightAtStart: number[];
  done: boolean;
}

/** What an op answered, kept so the same request can later be replayed without storage. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class ReplayDivergedError extends Error {}

/**
 * One request's storage activity. A probe delays one op (by sequence number) to see whether the response
 * waits for it. A recording keeps each op's outcome; a replay answers each op from a recording instead of
 * calling D1 or KV, so the Worker's own CPU can be measured without the local storage simulators.
 */
export class RequestRecord {
  readonly ops: Op[] = [];
  readonly outcomes: Outcome[] = [];
  pendingWaitUntil = 0;
  /** Time until the app returned its response, by the isolate's clock (which moves at I/O, e.g. a probe's delay). */
  responseMs: number | null = null;
  private readonly inflight = new Set<number>();
  private readonly onOp: (op: Op) => void;
  /** The op to delay, by what it is and which occurrence (positions shift when timing does). */
  private readonly delay: { key: string; nth: number; ms: number } | null;
  private readonly seen = new Map<string, number>();
  private readonly record: boolean;
  /** Recorded outcomes by op (kind and statement), in the order they happened. */
  private readonly replay: Map<string, Outcome[]> | null;
  /** Why a replay could not answer an op (the app turns the error into a 503, so it is kept here). */
  divergence: string | null = null;

  constructor(options: {
    onOp: (op: Op) => void;
    delay?: { key: string; nth: number; ms: number } | null;
    record?: boolean;
    replay?: { ops: readonly Op[]; outcomes: readonly Outcome[] } | null;
  }) {
    this.onOp = options.onOp;
    this.delay = options.delay ?? null;
    this.record = options.record ?? false;
    // Matched by what the op is, not by its position: with instant answers, work in waitUntil may
    // start in a different order relative to the response path than it did against real storage.
    this.replay = null;
    if (options.replay) {
      this.replay = new Map();
      for (const op of options.replay.ops) {
        const outcome = options.replay.outcomes[op.seq];
        if (!outcome) continue;
        const key = opKey(op);
        this.replay.set(key, [...(this.replay.get(key) ?? []), outcome]);
      }
    }
  }

  track<T>(kind: OpKind, what: string, run: () => Promise<T>): Promise<T> {
    const op: Op = { seq: this.ops.length, kind, what, inflightAtStart: [...this.inflight], done: false };
    this.ops.push(op);
    this.onOp(op);
    this.inflight.add(op.seq);
    const key = opKey(op);
    const nth = this.seen.get(key) ?? 0;
    this.seen.set(key, nth + 1);
    let started: Promise<T>;
    if (this.replay) {
      started = this.replayed<T>(op);
    } else {
      const delayed = this.delay !== null && this.delay.key === key && this.delay.nth === nth;
      started = delayed ? sleep(this.delay!.ms).then(run) : run();
      if (this.record) {
        started = started.then(
          (value) => { this.outcomes[op.seq] = { ok: true, value }; return value; },
          (error: unknown) => { this.outcomes[op.seq] = { ok: false, error }; throw error; },
        );
      }
    }
    return started.finally(() => {
      op.done = true;
      this.inflight.delete(op.seq);
    });
  }

  private replayed<T>(op: Op): Promise<T> {
    const outcome = this.replay!.get(opKey(op))?.shift();
    if (!outcome) {
      this.divergence ??= `no recorded answer for op ${op.seq}: ${op.kind} ${op.what}`;
      return Promise.reject(new ReplayDivergedError(this.divergence));
    }
    return outcome.ok ? Promise.resolve(outcome.value as T) : Promise.reject(outcome.error);
  }
}

/** What identifies an op across runs of the same request: its kind and statement (or KV method and prefix). */
export function opKey(op: Pick<Op, 'kind' | 'what'>): string {
  return `${op.kind} ${op.what}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const READ_SQL = /^\s*(select|pragma|explain)\b/i;
const WRITE_WORDS = /\b(insert|update|delete|replace|create|drop|alter)\b/i;

function isReadSql(sql: string): boolean {
  if (READ_SQL.test(sql)) return true;
  return /^\s*with\b/i.test(sql) && !WRITE_WORDS.test(sql);
}

function describeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 80);
}

type Target = 'primary' | 'replica';

const REAL = Symbol('real statement');
const SQL = Symbol('statement sql');

interface Tagged {
  [REAL]?: D1PreparedStatement;
  [SQL]?: string;
}

function kindOf(read: boolean, target: Target): OpKind {
  if (!read) return 'd1_write';
  return target === 'replica' ? 'd1_replica_read' : 'd1_primary_read';
}

/** Where the next query of a database or session goes; asked when a query runs, not when it is prepared. */
type Route = () => Target;
const toPrimary: Route = () => 'primary';

interface SqlInfo {
  read: boolean;
  what: string;
}

// Per SQL text, computed once: the bench's own cost per statement must stay far below what it measures.
const sqlInfo = new Map<string, SqlInfo>();

function infoOf(sql: string): SqlInfo {
  let info = sqlInfo.get(sql);
  if (!info) {
    info = { read: isReadSql(sql), what: describeSql(sql) };
    sqlInfo.set(sql, info);
  }
  return info;
}

class CountingStatement {
  readonly [REAL]: D1PreparedStatement;
  readonly [SQL]: string;
  private readonly info: SqlInfo;
  private readonly route: Route;
  private readonly rec: RequestRecord;

  constructor(real: D1PreparedStatement, sql: string, route: Route, rec: RequestRecord) {
    this[REAL] = real;
    this[SQL] = sql;
    this.info = infoOf(sql);
    this.route = route;
    this.rec = rec;
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    return this.rec.track(kindOf(this.info.read, this.route()), this.info.what, run);
  }

  bind(...values: unknown[]): CountingStatement {
    return new CountingStatement(this[REAL].bind(...values), this[SQL], this.route, this.rec);
  }

  first(column?: string): Promise<unknown> {
    return this.track(() => (column === undefined ? this[REAL].first() : this[REAL].first(column)));
  }

  run(): Promise<D1Result> {
    return this.track(() => this[REAL].run());
  }

  all(): Promise<D1Result> {
    return this.track(() => this[REAL].all());
  }

  raw(options?: { columnNames?: false }): Promise<unknown[]> {
    return this.track(() => this[REAL].raw(options));
  }
}

function countingStatement(real: D1PreparedStatement, sql: string, route: Route, rec: RequestRecord): D1PreparedStatement {
  return new CountingStatement(real, sql, route, rec) as unknown as D1PreparedStatement;
}

function countingBatch(real: Pick<D1Database, 'batch'>, route: Route, rec: RequestRecord) {
  return (statements: D1PreparedStatement[]) => {
    const tagged = statements as unknown as Tagged[];
    // A statement we did not wrap cannot be classified: count the batch as a write (the pessimistic case).
    const read = tagged.every((s) => s[SQL] !== undefined && isReadSql(s[SQL]));
    const what = `batch of ${statements.length}: ${infoOf(tagged[0]?.[SQL] ?? '').what}`;
    return rec.track(kindOf(read, route()), what, () => real.batch(tagged.map((s, i) => s[REAL] ?? statements[i]!)));
  };
}

export function countingD1(db: D1Database, rec: RequestRecord): D1Database {
  const wrapped = {
    prepare: (sql: string) => countingStatement(db.prepare(sql), sql, toPrimary, rec),
    batch: countingBatch(db, toPrimary, rec),
    exec: (sql: string) => rec.track(infoOf(sql).read ? 'd1_primary_read' : 'd1_write', infoOf(sql).what, () => db.exec(sql)),
    dump: () => rec.track('d1_primary_read', 'dump', () => db.dump()),
    // 'first-primary' sends a session's first query to the primary and the rest anywhere consistent with
    // it; 'first-unconstrained' (the default) and bookmarks may use a replica from the first query on.
    withSession: (constraint?: string) => {
      const session = db.withSession(constraint);
      let firstToPrimary = constraint === 'first-primary';
      const route: Route = () => {
        if (!firstToPrimary) return 'replica';
        firstToPrimary = false;
        return 'primary';
      };
      return {
        prepare: (sql: string) => countingStatement(session.prepare(sql), sql, route, rec),
        batch: countingBatch(session, route, rec),
        getBookmark: () => session.getBookmark(),
      };
    },
  };
  return wrapped as unknown as D1Database;
}

const KV_READS = new Set(['get', 'getWithMetadata', 'list']);
const KV_WRITES = new Set(['put', 'delete']);

function keyPrefix(key: unknown): string {
  if (Array.isArray(key)) return `[${key.length} keys]`;
  return typeof key === 'string' ? `${key.split(':')[0]}:` : '';
}

export function countingKv(kv: KVNamespace, rec: RequestRecord): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const kind: OpKind | null = KV_READS.has(prop) ? 'kv_read' : KV_WRITES.has(prop) ? 'kv_write' : null;
      if (!kind) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) =>
        rec.track(kind, `${prop} ${keyPrefix(args[0])}`, () => Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, target, args));
    },
  });
}

function isDurableObjectNamespace(value: unknown): value is DurableObjectNamespace {
  return typeof value === 'object' && value !== null && typeof (value as { idFromName?: unknown }).idFromName === 'function';
}

const STUB_GETTERS = new Set(['get', 'getByName', 'getExisting']);

/** Every method call on a stub from this namespace is counted as one round trip to the object. */
function countingNamespace(ns: DurableObjectNamespace, binding: string, rec: RequestRecord): DurableObjectNamespace {
  return new Proxy(ns, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && STUB_GETTERS.has(prop)) {
        return (...args: unknown[]) => countingStub(Reflect.apply(value, target, args) as object, binding, rec);
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

function countingStub(stub: object, binding: string, rec: RequestRecord): object {
  return new Proxy(stub, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof prop !== 'string' || typeof value !== 'function' || prop === 'then') return value;
      return (...args: unknown[]) =>
        rec.track('do_call', `${binding}.${prop}`, () => Promise.resolve(Reflect.apply(value as (...a: unknown[]) => unknown, target, args)));
    },
  });
}

/** The env with D1, KV and every Durable Object namespace counted for this request. */
export function countingBindings<E extends { DB: D1Database; CODES: KVNamespace }>(env: E, rec: RequestRecord): E {
  const counted: Record<string, unknown> = { ...env, DB: countingD1(env.DB, rec), CODES: countingKv(env.CODES, rec) };
  for (const [name, value] of Object.entries(env)) {
    if (isDurableObjectNamespace(value)) counted[name] = countingNamespace(value, name, rec);
  }
  return counted as E;
}
