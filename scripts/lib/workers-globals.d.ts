// The Workers binding types src/store/ names as globals, declared for the Node-side type check (scripts, test/node).
import type * as Workers from '@cloudflare/workers-types/index.ts';

declare global {
  type D1Database = Workers.D1Database;
  type D1PreparedStatement = Workers.D1PreparedStatement;
  type D1Result<T = unknown> = Workers.D1Result<T>;
  type D1Meta = Workers.D1Meta;
  type KVNamespace<Key extends string = string> = Workers.KVNamespace<Key>;
}
