// Bench build of edge-oidc: the real app with counting D1/KV/Durable Object bindings, plus /__bench/ routes for the runner.
import app from '../../src/index.ts';
import { clearMetadataClientCache, loadMetadataClient } from '../../src/clients/resolve.ts';
import type { Bindings } from '../../src/env.ts';
import { clearClientCache, loadClient } from '../../src/store/clients.ts';
import { BENCH_METADATA_DOCUMENT_URL } from '../lib/metadata-stand-in.ts';
import { countingBindings, OP_KINDS, RequestRecord, type Op, type OpKind } from './counting.ts';
import { captureCryptoAnswers, countCryptoOperations, cryptoSince, cryptoSnapshot, stubCryptoOperations } from './crypto-hooks.ts';
import { isFloorOp, runFloor } from './floors.ts';
import { installOutboundCounting, requestSettled, requestStarted } from './outbound.ts';

installOutboundCounting();

// The Durable Object classes the Worker's bindings name must be exported by whichever entry runs it:
// all of the app's named exports, so a new class needs no change here.
export * from '../../src/index.ts';

interface LabelCounters {
  requests: number;
  statuses: Record<string, number>;
  ops: Record<OpKind, number>;
}

/** A request the runner wants replayed inside the isolate, without HTTP: for handler-only CPU. */
interface LoopRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

const counters = new Map<string, LabelCounters>();
const traces = new Map<string, RequestRecord>();
const traceCrypto = new WeakMap<RequestRecord, { before: Record<string, number>; ops: Record<string, number> | null }>();
const TRACE_LIMIT = 300;

function countersFor(label: string): LabelCounters {
  let entry = counters.get(label);
  if (!entry) {
    entry = { requests: 0, statuses: {}, ops: Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number> };
    counters.set(label, entry);
  }
  return entry;
}

interface RecordOptions {
  replay?: RequestRecord | null;
}

function newRecord(label: string, headers: Headers, options: RecordOptions = {}): RequestRecord {
  const entry = countersFor(label);
  const delayKey = headers.get('x-bench-delay-key');
  const traceId = headers.get('x-bench-trace');
  const rec = new RequestRecord({
    onOp: (op: Op) => { entry.ops[op.kind]++; },
    delay: delayKey === null ? null : {
      key: decodeURIComponent(delayKey),
      nth: Number(headers.get('x-bench-delay-nth') ?? 0),
      ms: Number(headers.get('x-bench-delay-ms') ?? 0),
    },
    record: traceId !== null && headers.get('x-bench-record') === '1',
    replay: options.replay ?? null,
  });
  if (traceId) {
    if (traces.size >= TRACE_LIMIT) traces.delete(traces.keys().next().value!);
    traces.set(traceId, rec);
    // Traces run one at a time, so the isolate's crypto counts since this moment are this request's.
    traceCrypto.set(rec, { before: cryptoSnapshot(), ops: null });
  }
  return rec;
}

interface ServeOptions extends RecordOptions {
  /** Everything but the app: what the replay harness itself costs per request. */
  noop?: boolean;
}

/** The app with this request's counting bindings; waitUntil work is tracked so a trace knows when it is done. */
async function serveApp(
  request: Request, env: Bindings, ctx: ExecutionContext, label: string, options: ServeOptions = {},
): Promise<{ response: Response; rec: RequestRecord }> {
  const rec = newRecord(label, request.headers, options);
  const counted = countingBindings(env, rec);
  // Outbound fetches are charged to this request until its response and waitUntil work are done.
  let responded = false;
  const settle = () => { if (responded && rec.pendingWaitUntil === 0) requestSettled(rec); };
  const countedCtx = {
    waitUntil(promise: Promise<unknown>) {
      rec.pendingWaitUntil++;
      const done = () => { rec.pendingWaitUntil--; settle(); };
      ctx.waitUntil(promise.then(done, done));
    },
    passThroughOnException() { ctx.passThroughOnException(); },
    props: (ctx as { props?: unknown }).props,
  } as unknown as ExecutionContext;
  const startedAt = Date.now();
  requestStarted(rec);
  let response: Response;
  try {
    response = options.noop ? new Response('ok') : await app.fetch(request, counted, countedCtx);
  } finally {
    responded = true;
    settle();
  }
  rec.responseMs = Date.now() - startedAt;
  const entry = countersFor(label);
  entry.requests++;
  entry.statuses[response.status] = (entry.statuses[response.status] ?? 0) + 1;
  return { response, rec };
}

/** Reloads a client into the per-isolate cache, so its 30 s TTL cannot run out in the next measurement. */
async function warmClient(env: Bindings, clientId: string) {
  clearClientCache();
  return loadClient(env.DB, clientId);
}

/**
 * Puts the bench's metadata document (bench/lib/metadata-stand-in.ts) in one cache state: `memory` (this isolate
 * holds it), `kv` (only KV does) or `none` (the next /authorize fetches it). Through the app's own loader.
 */
async function metadataCache(env: Bindings, state: string | null): Promise<Response> {
  clearMetadataClientCache();
  if (state === 'none') {
    await env.CODES.delete(`cimd:${BENCH_METADATA_DOCUMENT_URL}`);
    return new Response('none');
  }
  if (state !== 'memory' && state !== 'kv') return new Response('bad metadata cache state', { status: 400 });
  const pending: Promise<unknown>[] = [];
  await loadMetadataClient({ kv: env.CODES, devMode: false, defer: (work) => { pending.push(work); } }, BENCH_METADATA_DOCUMENT_URL);
  await Promise.all(pending);
  if (state === 'kv') clearMetadataClientCache();
  return new Response(state);
}

interface LoopBody {
  label: string;
  requests?: LoopRequest[];
  request?: LoopRequest;
  repeat?: number;
  /** Answer every storage op from this trace's recording instead of calling D1 and KV. */
  replay?: string;
  noop?: boolean;
  /** A client to (re)load into the cache first, as it was when the recording was made. */
  warmClient?: string;
  /** WebCrypto operations to answer from the captured answers (the endpoint's floor), e.g. "deriveBits PBKDF2". */
  stubCrypto?: string[];
}

/** Replays requests one after another inside this isolate, then waits for their waitUntil work. */
async function loop(env: Bindings, body: LoopBody): Promise<Response> {
  const requests = body.requests ?? Array.from({ length: body.repeat ?? 0 }, () => body.request!);
  const replay = body.replay === undefined ? null : traces.get(body.replay);
  if (replay === undefined) return Response.json({ error: `no recording ${body.replay}` }, { status: 404 });
  if (body.warmClient) await warmClient(env, body.warmClient);
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => { pending.push(p); }, passThroughOnException() {} } as unknown as ExecutionContext;
  const statuses: Record<string, number> = {};
  let divergence: string | null = null;
  stubCryptoOperations(body.stubCrypto ?? []);
  try {
    for (const r of requests) {
      // As over HTTP, where wrangler dev's proxy sets the client address (the throttle keys on it) and the
      // client sends the body's length (without it, bodyLimit must stream and copy the body to count it).
      const headers: Record<string, string> = { 'CF-Connecting-IP': '127.0.0.1', ...r.headers };
      if (r.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
        headers['Content-Length'] = String(new TextEncoder().encode(r.body).byteLength);
      }
      const request = new Request(r.url, { method: r.method, headers, body: r.body ?? null, redirect: 'manual' });
      const { response, rec } = await serveApp(request, env, ctx, body.label, { replay, noop: body.noop ?? false });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      divergence ??= rec.divergence;
    }
    // waitUntil work may call WebCrypto too: it finishes while the stubs are still in place.
    await Promise.allSettled(pending);
  } finally {
    stubCryptoOperations([]);
  }
  return Response.json({ statuses, divergence });
}

async function benchRoute(request: Request, env: Bindings, url: URL): Promise<Response> {
  switch (url.pathname) {
    case '/__bench/empty':
      return new Response('ok');
    case '/__bench/reset':
      // Counters only: recorded traces stay for the replays that follow the load.
      counters.clear();
      return new Response('reset');
    case '/__bench/counters':
      return Response.json(Object.fromEntries(counters));
    case '/__bench/trace': {
      const rec = traces.get(url.searchParams.get('id') ?? '');
      if (!rec) return Response.json({ error: 'unknown trace' }, { status: 404 });
      const crypto = traceCrypto.get(rec);
      if (crypto && crypto.ops === null && rec.pendingWaitUntil === 0) crypto.ops = cryptoSince(crypto.before);
      return Response.json({
        ops: rec.ops, pendingWaitUntil: rec.pendingWaitUntil, responseMs: rec.responseMs, recorded: rec.outcomes.length,
        crypto: crypto?.ops ?? null,
      });
    }
    case '/__bench/warm-client': {
      const client = await warmClient(env, url.searchParams.get('id') ?? '');
      return new Response(client ? 'warm' : 'unknown client', { status: client ? 200 : 404 });
    }
    case '/__bench/count-crypto':
      countCryptoOperations(url.searchParams.get('on') === '1');
      return new Response('ok');
    case '/__bench/capture-crypto':
      captureCryptoAnswers(url.searchParams.get('on') === '1');
      return new Response('ok');
    case '/__bench/metadata-cache':
      return metadataCache(env, url.searchParams.get('state'));
    case '/__bench/clear-client-cache':
      clearClientCache();
      return new Response('cleared');
    case '/__bench/floor': {
      const op = url.searchParams.get('op');
      const n = Number(url.searchParams.get('n') ?? 1);
      if (!isFloorOp(op) || !Number.isInteger(n) || n < 0 || n > 100_000) return new Response('bad floor request', { status: 400 });
      await runFloor(env, op, n);
      return Response.json({ op, n });
    }
    case '/__bench/loop':
      return loop(env, await request.json<LoopBody>());
    default:
      return new Response('unknown bench route', { status: 404 });
  }
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/__bench/')) return benchRoute(request, env, url);
    return (await serveApp(request, env, ctx, request.headers.get('x-bench-label') ?? 'unlabelled')).response;
  },
} satisfies ExportedHandler<Bindings>;
