// Retries D1 statements that local SQLite refused as busy: wrangler dev and the CLI are separate workerd processes on one file.
import type { D1Like } from '../../src/store/db.ts';

const BUSY = /SQLITE_BUSY|database is locked/;
const DELAYS_MS = [25, 50, 100, 200, 400, 800, 1600];

/** A statement that failed with SQLITE_BUSY did not run, so running it again is safe. */
async function retryBusy<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const delay = DELAYS_MS[attempt];
      if (delay === undefined || !BUSY.test(String((error as Error)?.message ?? error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    }
  }
}

class RetryingStatement implements D1PreparedStatement {
  readonly inner: D1PreparedStatement;

  constructor(inner: D1PreparedStatement) {
    this.inner = inner;
  }

  bind(...values: unknown[]): RetryingStatement {
    return new RetryingStatement(this.inner.bind(...values));
  }

  first<T = unknown>(colName: string): Promise<T | null>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  first<T>(colName?: string): Promise<T | null> {
    return retryBusy(() => (colName === undefined ? this.inner.first<T>() : this.inner.first<T>(colName)));
  }

  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return retryBusy(() => this.inner.run<T>());
  }

  all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return retryBusy(() => this.inner.all<T>());
  }

  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
  raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<[string[], ...T[]] | T[]> {
    if (options?.columnNames) return retryBusy(() => this.inner.raw<T>({ columnNames: true }));
    return retryBusy(() => this.inner.raw<T>());
  }
}

/** The binding with busy retries; a batch is one transaction, so it is retried whole. */
export function withBusyRetry(db: D1Like): D1Like {
  return {
    prepare: (query: string) => new RetryingStatement(db.prepare(query)),
    batch: <T = unknown>(statements: D1PreparedStatement[]) =>
      retryBusy(() => db.batch<T>(statements.map((s) => (s instanceof RetryingStatement ? s.inner : s)))),
  };
}
