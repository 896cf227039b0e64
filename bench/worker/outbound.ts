// The bench build's outbound fetches: each one counted as an op of its request, the bench's metadata document answered locally.
import { BENCH_METADATA_CACHE_CONTROL, BENCH_METADATA_DOCUMENT, BENCH_METADATA_DOCUMENT_URL } from '../lib/metadata-stand-in.ts';
import type { RequestRecord } from './counting.ts';

// The app's requests whose response or waitUntil work is still running. A fetch is charged to the newest of
// them: exactly its own during traces (one request at a time, though an earlier one's waitUntil work may still
// run); under load, where one scenario runs at a time, to a request of the same label, which is all the
// per-label counters need.
const inflight = new Set<RequestRecord>();

function newest(): RequestRecord | undefined {
  let last: RequestRecord | undefined;
  for (const rec of inflight) last = rec;
  return last;
}

export function requestStarted(rec: RequestRecord): void {
  inflight.add(rec);
}

export function requestSettled(rec: RequestRecord): void {
  inflight.delete(rec);
}

function urlOf(input: RequestInfo | URL): string {
  return input instanceof Request ? input.url : String(input);
}

function methodOf(input: RequestInfo | URL, init: RequestInit | undefined): string {
  return (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
}

/**
 * The stand-in for the client's host: wrangler dev has no internet, and a bench must not depend on one. It
 * answers at once, so a trace sees the fetch's place (on or off the response path), not its latency.
 */
function answer(method: string, url: string, input: RequestInfo | URL, init: RequestInit | undefined, real: typeof fetch): Promise<Response> {
  if (url !== BENCH_METADATA_DOCUMENT_URL || method !== 'GET') return real(input, init);
  return Promise.resolve(new Response(JSON.stringify(BENCH_METADATA_DOCUMENT), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': BENCH_METADATA_CACHE_CONTROL },
  }));
}

let installed = false;

/**
 * Replaces the isolate's global fetch (the bench build only; src/ calls `fetch` unchanged). A fetch is an op of
 * kind `fetch`, so a probe can hold it back like a storage call. Not replayable: a recorded Response is read
 * once, so scenarios that fetch are traced, not replayed (bench/lib/scenarios.ts).
 */
export function installOutboundCounting(): void {
  if (installed) return;
  installed = true;
  const real = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = urlOf(input);
    const method = methodOf(input, init);
    const rec = newest();
    const run = () => answer(method, url, input, init, real);
    return rec ? rec.track('fetch', `${method} ${url}`.slice(0, 80), run) : run();
  };
}
