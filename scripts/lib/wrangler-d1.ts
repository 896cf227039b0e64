// A D1 binding look-alike that runs each query through `wrangler d1 execute --json`, for the remote database.
import { CliError } from './cli-error.ts';
import { runWrangler, wranglerFailure } from './wrangler.ts';

export type SqlValue = string | number | null;

export interface WranglerD1Target {
  /** Directory wrangler runs in (holds wrangler.toml). */
  cwd: string;
  configPath: string;
  /** The D1 binding name in wrangler.toml. */
  binding: string;
  /** --remote, or --local with wrangler's --persist-to directory. */
  location: { remote: true } | { remote: false; persistDir: string };
}

// Linux refuses a single argv string over 128 KiB (MAX_ARG_STRLEN); stay clear of it.
const MAX_COMMAND_CHARS = 100_000;

/** A bound value as an SQLite literal. Only what the store binds is allowed; anything else is refused. */
export function toSqlLiteral(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CliError(`cannot send ${value} through wrangler: only integers are supported`);
    return String(value);
  }
  if (typeof value === 'string') {
    // A NUL would end the statement early; a lone surrogate cannot be sent as UTF-8.
    if (value.includes('\0') || !value.isWellFormed()) throw new CliError('cannot send a string with NUL or invalid UTF-16 through wrangler');
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new CliError(`cannot send a value of type ${typeof value} through wrangler: only strings, integers and NULL`);
}

function skipQuoted(sql: string, start: number, close: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  throw new CliError('unterminated quote in SQL');
}

/**
 * Replaces `?` and `?NNN` parameters with literals, following SQLite's numbering (a bare `?` takes one
 * more than the largest number used so far). Text inside quotes and comments is copied unchanged.
 */
export function inlineParameters(sql: string, values: readonly unknown[]): string {
  let out = '';
  let largest = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    let end = i + 1;
    if (ch === "'" || ch === '"' || ch === '`') end = skipQuoted(sql, i, ch);
    else if (ch === '[') end = skipQuoted(sql, i, ']');
    else if (ch === '-' && sql[i + 1] === '-') end = sql.includes('\n', i) ? sql.indexOf('\n', i) : sql.length;
    else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new CliError('unterminated comment in SQL');
      end = close + 2;
    } else if (ch === '?') {
      const digits = /^\d*/.exec(sql.slice(i + 1))![0];
      const index = digits === '' ? largest + 1 : Number(digits);
      if (index < 1 || index > values.length) throw new CliError(`SQL parameter ?${index} has no bound value`);
      largest = Math.max(largest, index);
      out += toSqlLiteral(values[index - 1]);
      i += 1 + digits.length;
      continue;
    } else if ((ch === ':' || ch === '@' || ch === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      throw new CliError('named SQL parameters are not supported through wrangler');
    }
    out += sql.slice(i, end);
    i = end;
  }
  if (largest !== values.length) throw new CliError(`SQL has ${largest} parameters but ${values.length} values were bound`);
  return out;
}

interface WranglerResult {
  results?: Record<string, unknown>[];
  success?: boolean;
  meta?: Record<string, unknown>;
}

function toD1Result<T>(rows: Record<string, unknown>[], changes: number, lastRowId: number): D1Result<T> {
  return {
    results: rows as T[],
    success: true,
    meta: {
      duration: 0, size_after: 0, rows_read: 0, rows_written: changes,
      last_row_id: lastRowId, changed_db: changes > 0, changes,
    },
  };
}

/**
 * Runs statements in one `wrangler d1 execute` (one D1 batch locally, one /query request remotely).
 * Local `--json` output carries no change counts, so a `SELECT total_changes()` runs before the first
 * statement and after each one, and the differences become each statement's `meta.changes`.
 */
async function execute<T>(target: WranglerD1Target, statements: readonly string[]): Promise<D1Result<T>[]> {
  const probe = 'SELECT total_changes() AS total_changes, last_insert_rowid() AS last_row_id';
  const command = [probe, ...statements.flatMap((s) => [s.trim().replace(/;+$/, ''), probe])].join(';\n');
  if (command.length > MAX_COMMAND_CHARS) throw new CliError('batch too large to send through wrangler');
  const args = ['d1', 'execute', target.binding, '--config', target.configPath, '--json', '--command', command];
  if (target.location.remote) args.push('--remote');
  else args.push('--local', '--persist-to', target.location.persistDir);
  // --json output is printed at wrangler's "log" level: a quieter WRANGLER_LOG would drop it, a louder one mix text in.
  const output = await runWrangler(args, target.cwd, { WRANGLER_LOG: 'log' });
  if (output.code !== 0) throw new CliError(`wrangler d1 execute failed: ${wranglerFailure(output)}`);
  let parsed: WranglerResult[];
  try {
    parsed = JSON.parse(output.stdout) as WranglerResult[];
  } catch {
    throw new CliError('wrangler d1 execute printed something other than JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== statements.length * 2 + 1) {
    throw new CliError('wrangler d1 execute returned an unexpected number of results');
  }
  const probeAt = (index: number) => {
    const row = parsed[index]?.results?.[0] ?? {};
    return { total: Number(row.total_changes ?? 0), lastRowId: Number(row.last_row_id ?? 0) };
  };
  return statements.map((_, n) => {
    const result = parsed[2 * n + 1];
    const before = probeAt(2 * n);
    const after = probeAt(2 * n + 2);
    // Remote D1 reports its own counts; local --json output does not, so the probes stand in.
    const changes = typeof result?.meta?.changes === 'number' ? result.meta.changes : after.total - before.total;
    const lastRowId = typeof result?.meta?.last_row_id === 'number' ? result.meta.last_row_id : after.lastRowId;
    return toD1Result<T>(result?.results ?? [], changes, lastRowId);
  });
}

export class WranglerStatement implements D1PreparedStatement {
  readonly target: WranglerD1Target;
  readonly sql: string;
  readonly values: readonly unknown[];

  constructor(target: WranglerD1Target, sql: string, values: readonly unknown[] = []) {
    this.target = target;
    this.sql = sql;
    this.values = values;
  }

  bind(...values: unknown[]): WranglerStatement {
    return new WranglerStatement(this.target, this.sql, values);
  }

  /** The statement with its values inlined, as wrangler will run it. */
  toSql(): string {
    return inlineParameters(this.sql, this.values);
  }

  first<T = unknown>(colName: string): Promise<T | null>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  async first<T>(colName?: string): Promise<T | null> {
    const row = (await this.all<Record<string, unknown>>()).results[0];
    if (!row) return null;
    return (colName === undefined ? row : row[colName]) as T;
  }

  async run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.all<T>();
  }

  async all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    const [result] = await execute<T>(this.target, [this.toSql()]);
    return result!;
  }

  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
  // Rows come back as JSON objects, so column names are known only when there is at least one row.
  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<[string[], ...T[]] | T[]> {
    const rows = (await this.all<Record<string, unknown>>()).results;
    const values = rows.map((row) => Object.values(row) as T);
    return options?.columnNames ? [Object.keys(rows[0] ?? {}), ...values] : values;
  }
}

/** The part of D1Database the store uses (src/store/db.ts D1Like), run through wrangler. */
export class WranglerD1 {
  readonly target: WranglerD1Target;

  constructor(target: WranglerD1Target) {
    this.target = target;
  }

  prepare(query: string): WranglerStatement {
    return new WranglerStatement(this.target, query);
  }

  async batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    const sql = statements.map((s) => {
      if (!(s instanceof WranglerStatement)) throw new CliError('batch() takes statements from this database only');
      return s.toSql();
    });
    return sql.length === 0 ? [] : execute<T>(this.target, sql);
  }
}
