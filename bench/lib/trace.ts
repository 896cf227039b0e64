// Storage traces: which round trips (storage calls, outbound fetches) one request makes, and which of them its response waits for.
import { randomUUID } from 'node:crypto';
import type { RelyingParty } from './rp.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchServer } from './server.ts';
import { OP_KINDS, type OpKind } from './ops.ts';

export { OP_KINDS, type OpKind };

export interface TracedOp {
  seq: number;
  kind: OpKind;
  what: string;
  inflightAtStart: number[];
  /** True when delaying this op delays the response: it is on the response path, not in waitUntil. */
  onPath: boolean;
}

export interface Trace {
  ops: TracedOp[];
  latencyMs: number;
  /** False if a probe saw a different set of ops than the first trace. */
  deterministic: boolean;
  /** The op sets that differed from the first trace's, for the report. */
  variants: string[];
  /** The traced request whose storage answers were recorded, for replays without storage. */
  recordingId: string;
  /** WebCrypto calls the request made (method and algorithm -> count), waitUntil work included. */
  crypto: Record<string, number>;
}

export type KindCounts = Record<OpKind, number>;

export function zeroCounts(): KindCounts {
  return Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as KindCounts;
}

export function countOps(ops: TracedOp[], onPath: boolean): KindCounts {
  const counts = zeroCounts();
  for (const op of ops) if (op.onPath === onPath) counts[op.kind]++;
  return counts;
}

interface RawOp {
  seq: number;
  kind: OpKind;
  what: string;
  inflightAtStart: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tracedRequest(
  server: BenchServer,
  rp: RelyingParty,
  scenario: Scenario,
  i: number,
  delay: { key: string; nth: number; ms: number } | null,
  record = false,
): Promise<{ id: string; ops: RawOp[]; responseMs: number; crypto: Record<string, number> }> {
  await scenario.beforeTrace?.();
  // A warm scenario is measured with the client in the per-isolate cache (its 30 s TTL may have run out).
  if (scenario.warm) await (await fetch(`${server.issuer}/__bench/warm-client?id=${encodeURIComponent(server.fixture.client.clientId)}`)).text();
  const id = randomUUID();
  const headers: Record<string, string> = { 'x-bench-label': `trace:${scenario.key}`, 'x-bench-trace': id };
  if (record) headers['x-bench-record'] = '1';
  if (delay) {
    headers['x-bench-delay-key'] = encodeURIComponent(delay.key);
    headers['x-bench-delay-nth'] = String(delay.nth);
    headers['x-bench-delay-ms'] = String(delay.ms);
  }
  await scenario.check(await rp.send(scenario.request(i), headers));
  // Wait for the waitUntil work to finish, so the trace holds every op the request started.
  for (let attempt = 0; ; attempt++) {
    const trace = (await (await fetch(`${server.issuer}/__bench/trace?id=${id}`)).json()) as {
      ops: RawOp[]; pendingWaitUntil: number; responseMs: number; crypto: Record<string, number> | null;
    };
    if (trace.pendingWaitUntil === 0) return { id, ops: trace.ops, responseMs: trace.responseMs, crypto: trace.crypto ?? {} };
    if (attempt > 600) throw new Error(`${scenario.key}: waitUntil work still pending after 30 s`);
    await sleep(50);
  }
}

/**
 * Traces one request, then probes each op it made: the same request again with that one op delayed by
 * `delayMs`. If the app's response comes back that much later (timed inside the isolate, so HTTP and
 * proxy jitter do not count), the op is on the response path. Two probes per op, a third if they disagree.
 */
export async function traceScenario(server: BenchServer, rp: RelyingParty, scenario: Scenario, delayMs: number): Promise<Trace> {
  let i = 1_000_000;
  if (scenario.warm) await scenario.check(await rp.send(scenario.request(i++), { 'x-bench-label': 'setup' }));
  const baseline = [];
  for (let r = 0; r < 3; r++) baseline.push(await tracedRequest(server, rp, scenario, i++, null, r === 0));
  const base = baseline[0]!;
  const baseMs = baseline.map((b) => b.responseMs).sort((a, b) => a - b)[1]!;
  const variants = new Set<string>();
  const compare = (ops: RawOp[]) => {
    if (!sameKinds(ops, base.ops)) variants.add(ops.map((o) => `${o.kind} ${o.what.slice(0, 40)}`).join('; '));
  };
  baseline.forEach((b) => compare(b.ops));
  const ops: TracedOp[] = [];
  const seen = new Map<string, number>();
  for (const op of base.ops) {
    const key = `${op.kind} ${op.what}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const votes: boolean[] = [];
    while (votes.length < 2 || (votes.length === 2 && votes[0] !== votes[1])) {
      const probe = await tracedRequest(server, rp, scenario, i++, { key, nth, ms: delayMs });
      compare(probe.ops);
      votes.push(probe.responseMs - baseMs > delayMs * 0.6);
    }
    ops.push({ ...op, onPath: votes.filter(Boolean).length * 2 > votes.length });
  }
  return { ops, latencyMs: baseMs, deterministic: variants.size === 0, variants: [...variants], recordingId: base.id, crypto: base.crypto };
}

/**
 * One request whose storage answers are recorded, for replays without storage. Made just before the
 * replay: recorded answers age (a code payload carries its own 60 s expiry).
 */
export async function recordRequest(server: BenchServer, rp: RelyingParty, scenario: Scenario): Promise<string> {
  return (await tracedRequest(server, rp, scenario, 2_000_000, null, true)).id;
}

/** The same ops, in any order: work in waitUntil may interleave differently with the response path. */
function sameKinds(a: RawOp[], b: RawOp[]): boolean {
  const keys = (ops: RawOp[]) => ops.map((o) => `${o.kind} ${o.what}`).sort().join('\n');
  return keys(a) === keys(b);
}

export interface LatencyModel {
  primaryMs: number;
  replicaMs: number;
  kvMs: number;
  /** A Durable Object lives where it was first used: for a per-account or per-IP object, near its user. */
  durableObjectMs: number;
  /** An outbound fetch (a client's metadata document) goes to the client's own host, wherever that is. */
  fetchMs: number;
}

export const FAR_USER: LatencyModel = { primaryMs: 150, replicaMs: 10, kvMs: 10, durableObjectMs: 10, fetchMs: 150 };

function opLatency(kind: OpKind, model: LatencyModel): number {
  if (kind === 'd1_primary_read' || kind === 'd1_write') return model.primaryMs;
  if (kind === 'd1_replica_read') return model.replicaMs;
  if (kind === 'do_call') return model.durableObjectMs;
  if (kind === 'fetch') return model.fetchMs;
  return model.kvMs;
}

/**
 * Storage latency on the response path: on-path ops in order; an op started while another on-path op
 * was still in flight runs in parallel with it, so a group costs its slowest member.
 */
export function modelLatency(ops: TracedOp[], model: LatencyModel): number {
  let total = 0;
  let group: { seqs: Set<number>; ms: number } | null = null;
  for (const op of ops.filter((o) => o.onPath)) {
    const parallel = group !== null && op.inflightAtStart.some((s) => group!.seqs.has(s));
    const ms = opLatency(op.kind, model);
    if (parallel) {
      group!.seqs.add(op.seq);
      group!.ms = Math.max(group!.ms, ms);
    } else {
      if (group) total += group.ms;
      group = { seqs: new Set([op.seq]), ms };
    }
  }
  return total + (group?.ms ?? 0);
}
