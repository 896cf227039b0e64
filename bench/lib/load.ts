// A closed-loop load generator: N workers, keep-alive connections to 127.0.0.1, bounded in time and count.

export interface LoadOptions {
  concurrency: number;
  /** Stop starting new requests after this long. */
  maxDurationMs: number;
  /** Stop after this many requests in total. */
  maxRequests: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU the load generator itself used (this Node process), per request. */
  clientCpuMsPerRequest: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Only loopback: the bench never sends load anywhere else. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`refusing to send load to ${hostname}: the bench drives 127.0.0.1 only`);
  }
}

/**
 * Runs `step(i)` (one request, or one multi-request flow, that throws on a wrong answer) from
 * `concurrency` workers until the time or count bound is hit. Node's fetch keeps connections alive.
 */
export async function runLoad(options: LoadOptions, step: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | null = null;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const deadline = start + options.maxDurationMs;
  const worker = async () => {
    while (next < options.maxRequests && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await step(i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= String(err instanceof Error ? err.message : err);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    requests,
    errors,
    firstError,
    elapsedMs,
    requestsPerSecond: (requests * 1000) / elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, requests),
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, requests + errors),
  };
}
