// Measurements against the running bench build: load with runtime CPU, in-isolate replays, floors, storage traces.
import { cpus } from 'node:os';
import { cpuDelta, machineBusyMs, treeCpu } from './cpu.ts';
import { assertLoopback, runLoad, type LoadOptions, type LoadResult } from './load.ts';
import type { RequestSpec } from './rp.ts';
import type { Scenario } from './scenarios.ts';
import type { BenchServer } from './server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Time for waitUntil work (audit writes, session inserts) to finish before the CPU is read.
const SETTLE_MS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Background CPU of the runtime while nothing is sent, per second: subtracted from every measurement. */
export async function measureIdle(server: BenchServer, ms: number): Promise<number> {
  const before = treeCpu(server.pid);
  await sleep(ms);
  return (cpuDelta(before, treeCpu(server.pid)).runtimeMs * 1000) / ms;
}

export interface HttpMeasurement extends LoadResult {
  /** CPU of the workerd processes per request (both of them under wrangler dev: proxy and Worker). */
  runtimeCpuMsPerRequest: number;
  /** The same from utime + stime: a cross-check (threads that exit are only counted here). */
  runtimeStatCpuMsPerRequest: number;
  /** CPU of wrangler's Node process per request (logging, proxy control): not the runtime's. */
  wranglerCpuMsPerRequest: number;
  /** Share of the machine's cores busy with processes other than the bench's own during the load. */
  foreignCpuShare: number;
}

export async function measureHttp(
  server: BenchServer,
  options: LoadOptions,
  idleMsPerSecond: number,
  label: string,
  step: (i: number) => Promise<void>,
): Promise<HttpMeasurement> {
  assertLoopback(server.issuer);
  const before = treeCpu(server.pid);
  const busyBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  const result = await runLoad(options, step);
  await sleep(SETTLE_MS);
  const elapsed = performance.now() - start;
  const cpu = cpuDelta(before, treeCpu(server.pid));
  const own = process.cpuUsage(ownBefore);
  const foreignMs = machineBusyMs() - busyBefore - cpu.runtimeMs - cpu.otherMs - (own.user + own.system) / 1000;
  const n = Math.max(1, result.requests + result.errors);
  if (result.errors > 0) throw new Error(`${label}: ${result.errors} of ${n} requests failed; first: ${result.firstError}`);
  return {
    ...result,
    runtimeCpuMsPerRequest: (cpu.runtimeMs - (idleMsPerSecond * elapsed) / 1000) / n,
    runtimeStatCpuMsPerRequest: cpu.runtimeStatMs / n,
    wranglerCpuMsPerRequest: cpu.otherMs / n,
    foreignCpuShare: Math.max(0, foreignMs / (elapsed * cpus().length)),
  };
}

export function scenarioStep(scenario: Scenario, rp: { send(spec: RequestSpec, extra: Record<string, string>): Promise<Response> }) {
  return async (i: number) => {
    const res = await rp.send(scenario.request(i), { 'x-bench-label': scenario.key });
    await scenario.check(res);
  };
}

/**
 * CPU of the isolate's thread for one bench request (work inside one isolate: a replay, a floor), and its
 * answer. Its idle CPU is negligible, unlike the whole process tree's, and is not subtracted.
 */
async function isolateCpu(server: BenchServer, path: string, body?: unknown): Promise<{ cpuMs: number; text: string }> {
  // Let background work of what ran before (simulator flushes, GC) finish outside the window.
  await sleep(60);
  const before = treeCpu(server.pid);
  const busyBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  const res = await fetch(`${server.issuer}${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  await sleep(50);
  const cpu = cpuDelta(before, treeCpu(server.pid));
  const own = process.cpuUsage(ownBefore);
  const foreignMs = machineBusyMs() - busyBefore - cpu.runtimeMs - cpu.otherMs - (own.user + own.system) / 1000;
  windowShares?.push(Math.max(0, foreignMs / ((performance.now() - start) * cpus().length)));
  return { cpuMs: cpu.isolateThreadMs, text };
}

// The other processes' share of the machine in each isolateCpu window of the current quietly() attempt.
let windowShares: number[] | null = null;

export interface Quiet<T> {
  value: T;
  /** The largest share of the machine other processes used in any window of the attempt kept. */
  foreignShare: number;
  attempts: number;
}

/**
 * Runs a CPU measurement again (up to `attempts` times, a pause between) while other processes use more
 * than `maxForeignShare` of the machine: on shared cores, CPU time per operation depends on the neighbours.
 * Keeps the quietest attempt.
 */
export async function quietly<T>(measure: () => Promise<T>, maxForeignShare = 0.15, attempts = 4): Promise<Quiet<T>> {
  let best: Quiet<T> | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    windowShares = [];
    const value = await measure();
    const foreignShare = Math.max(0, ...windowShares);
    windowShares = null;
    if (!best || foreignShare < best.foreignShare) best = { value, foreignShare, attempts: attempt };
    if (foreignShare <= maxForeignShare) break;
    await sleep(2000);
  }
  return best!;
}

/** CPU of one primitive in the runtime: (n of them in one request - an empty request) / n; median of repeats. */
export async function measureFloor(server: BenchServer, op: string, n: number, repeats: number): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const none = await isolateCpu(server, `/__bench/floor?op=none&n=${n}`);
    const withOp = await isolateCpu(server, `/__bench/floor?op=${op}&n=${n}`);
    samples.push((withOp.cpuMs - none.cpuMs) / n);
  }
  return median(samples);
}

let loops = 0;

export interface LoopOptions {
  /** Answer storage from this trace's recording: the Worker's CPU without the local D1/KV simulators. */
  replay?: string;
  /** Skip the app: the replay harness's own cost per request. */
  noop?: boolean;
  /** Reload this client into the per-isolate cache first (its 30 s TTL must not run out mid-replay). */
  warmClient?: string;
  /** WebCrypto operations answered from the recording instead of computed (the endpoint's floor). */
  stubCrypto?: string[];
}

/**
 * CPU per request without HTTP: the isolate replays `requests` through the app within one request; the
 * CPU of that request, less a replay of zero requests, divided by the count. Includes waitUntil work.
 */
export async function measureLoop(server: BenchServer, scenario: Scenario, requests: RequestSpec[], options: LoopOptions = {}): Promise<number> {
  const label = `loop:${scenario.key}:${loops++}`;
  const zero = await isolateCpu(server, '/__bench/loop', { label, requests: [], ...options });
  const same = requests.every((r) => r === requests[0]);
  const body = same ? { label, request: requests[0], repeat: requests.length, ...options } : { label, requests, ...options };
  const replay = await isolateCpu(server, '/__bench/loop', body);
  const { statuses, divergence } = JSON.parse(replay.text) as { statuses: Record<string, number>; divergence: string | null };
  const expected = options.noop ? '200' : String(scenario.loopStatus);
  if (Object.keys(statuses).some((status) => status !== expected)) {
    throw new Error(`in-isolate replay of ${scenario.key}: expected only ${expected}, got ${JSON.stringify(statuses)}${divergence ? `; ${divergence}` : ''}`);
  }
  return (replay.cpuMs - zero.cpuMs) / requests.length;
}
