// The kinds of round trip the bench counts (storage and outbound fetches), shared by the bench build
// (bench/worker/counting.ts) and the runner (bench/lib/trace.ts). Plain TypeScript: no Node or Workers types, so both sides can import it.

/**
 * What one round trip costs in a deployment. A batch is one round trip; it counts as a write if any of
 * its statements writes. Reads through `withSession('first-unconstrained')` (or a bookmark) may be
 * served by a read replica; reads on the database itself, or in a 'first-primary' session, go to the primary.
 * A Durable Object call (a method on a stub) is one round trip to wherever that object lives.
 * A fetch is one outbound HTTP request of the Worker's (a client's metadata document, issue 16).
 */
export type OpKind = 'd1_primary_read' | 'd1_write' | 'd1_replica_read' | 'kv_read' | 'kv_write' | 'do_call' | 'fetch';
export const OP_KINDS: readonly OpKind[] = ['d1_primary_read', 'd1_write', 'd1_replica_read', 'kv_read', 'kv_write', 'do_call', 'fetch'];
