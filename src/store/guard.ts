// Storage failures become StorageUnavailableError: the bindings are wrapped once per isolate so every
// D1 or KV call that rejects is reported as "temporarily unavailable", never as a generic 500.

export class StorageUnavailableError extends Error {}

function rethrow(what: string): (err: unknown) => never {
  return (err: unknown) => {
    throw new StorageUnavailableError(`${what} failed`, { cause: err });
  };
}

const unwrapped = new WeakMap<object, D1PreparedStatement>();
const ASYNC_STATEMENT_METHODS = new Set(['first', 'all', 'run', 'raw']);

function guardStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const proxy = new Proxy(statement, {
    get(target, prop) {
      if (prop === 'bind') return (...values: unknown[]) => guardStatement(target.bind(...values));
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && ASYNC_STATEMENT_METHODS.has(prop)) {
        return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(rethrow('D1'));
      }
      return value.bind(target);
    },
  });
  unwrapped.set(proxy, statement);
  return proxy;
}

type D1Surface = Pick<D1Database, 'prepare' | 'batch'> & Partial<Pick<D1Database, 'withSession' | 'exec'>>;

function guardD1Surface<T extends D1Surface>(db: T): T {
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === 'prepare') return (sql: string) => guardStatement(target.prepare(sql));
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          target.batch(statements.map((s) => unwrapped.get(s) ?? s)).catch(rethrow('D1 batch'));
      }
      if (prop === 'withSession' && typeof value === 'function') {
        return (...args: unknown[]) => guardD1Surface(value.apply(target, args) as D1Surface);
      }
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise ? result.catch(rethrow('D1')) : result;
      };
    },
  });
}

function guardKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(rethrow('KV'));
    },
  });
}

const guarded = new WeakMap<object, object>();

/** The env with DB and CODES wrapped; built once per env object (once per isolate in production). */
export function guardBindings<E extends { DB: D1Database; CODES: KVNamespace }>(env: E): E {
  let wrapped = guarded.get(env) as E | undefined;
  if (!wrapped) {
    wrapped = { ...env, DB: guardD1Surface(env.DB), CODES: guardKv(env.CODES) };
    guarded.set(env, wrapped);
  }
  return wrapped;
}
