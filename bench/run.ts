// npm run bench [-- --quick]: start the bench build under wrangler dev, measure every endpoint, write the results.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { generateSecrets } from '../scripts/lib/secrets.ts';
import { PBKDF2_ITERATIONS } from '../src/constants.ts';
import { buildDeployBundle, measureStartup, removeBundleDir } from './lib/bundle.ts';
import { measureFloor, measureHttp, measureIdle, measureLoop, quietly, scenarioStep, type HttpMeasurement } from './lib/measure.ts';
import { evaluateTargets, renderMarkdown, type EndpointResult, type Results, type Round } from './lib/report.ts';
import { buildScenarios, openSession, signInStep, type FloorName } from './lib/scenarios.ts';
import { buildBenchBundle, ROOT, startBenchServer, wrangler } from './lib/server.ts';
import { countOps, FAR_USER, modelLatency, OP_KINDS, recordRequest, traceScenario, zeroCounts, type KindCounts, type Trace } from './lib/trace.ts';

const quick = process.argv.includes('--quick');

const PROFILE = quick
  ? { concurrency: 8, durationMs: 700, maxRequests: 1500, tokenSupply: 300, probeDelayMs: 400, floorRepeats: 1, rounds: 1, roundScale: 1, startupRepeats: 1, loopScale: 0.25, quietAttempts: 1 }
  : { concurrency: 8, durationMs: 5000, maxRequests: 20000, tokenSupply: 1500, probeDelayMs: 500, floorRepeats: 3, rounds: 9, roundScale: 1 / 3, startupRepeats: 3, loopScale: 1, quietAttempts: 4 };

// The WebCrypto operations that make up each floor, as bench/worker/crypto-hooks.ts names them. HMAC and
// SHA-256 (microseconds) are left computed.
const FLOOR_STUBS: Record<FloorName, string[]> = {
  pbkdf2: ['deriveBits PBKDF2'], rs256: ['sign RSASSA-PKCS1-v1_5'], es256: ['sign ECDSA'], es256_verify: ['verify ECDSA'],
  hs256: [], sha256: [],
};

// Replays per round of an endpoint with its floor primitives answered from the recording.
const BEYOND_FLOOR_COUNT = 1000;

// A CPU round is redone while other processes use more than this share of the machine (full runs only).
const QUIET_SHARE = 0.15;

// Replays per in-isolate measurement: enough CPU per replay (hundreds of ms) for 10 ms clock ticks.
const LOOP_COUNTS: Record<string, number> = {
  not_found: 6000, discovery: 6000, jwks: 6000, authorize: 1500, authorize_cimd: 1500, authorize_sso: 800, login: 20, login_passkey: 500, token: 500, userinfo: 1500,
};

const FLOOR_COUNTS: Record<FloorName | 'd1_read' | 'd1_write' | 'kv_read' | 'kv_write', number> = {
  pbkdf2: 20, rs256: 300, es256: 2000, es256_verify: 2000, sha256: 20000, hs256: 20000,
  d1_read: 400, d1_write: 400, kv_read: 400, kv_write: 400,
};

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function average(counters: { requests: number; ops: KindCounts } | undefined): KindCounts | null {
  if (!counters || counters.requests === 0) return null;
  const avg = zeroCounts();
  for (const k of OP_KINDS) avg[k] = counters.ops[k] / counters.requests;
  return avg;
}

async function main(): Promise<void> {
  const started = Date.now();

  // Both builds first, back to back: the run measures one snapshot of the code, whatever changes meanwhile.
  log('building the deploy bundle and the bench bundle (wrangler deploy --dry-run)');
  const bundle = await buildDeployBundle();
  const benchBundle = await buildBenchBundle(join(bundle.dir, 'bench'));
  const config = join(bundle.dir, 'wrangler.toml');
  copyFileSync(join(ROOT, 'wrangler.toml'), config);
  const snapshot = {
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommitted: git(['status', '--porcelain', '--', 'src', 'migrations', 'wrangler.toml', 'package-lock.json']).split('\n').filter(Boolean),
  };
  let startup;
  let server;
  onInterrupt(() => removeBundleDir(bundle.dir));
  try {
    log('measuring module start-up in a bare workerd');
    startup = await measureStartup(bundle.dir, bundle.mainModule, await generateSecrets(), PROFILE.startupRepeats);
    log('starting the bench build under wrangler dev (throwaway --persist-to)');
    server = await startBenchServer(benchBundle, config);
  } catch (err) {
    removeBundleDir(bundle.dir);
    throw err;
  }
  onInterrupt(server.stop);
  try {
    const session = await openSession(server);
    const scenarios = buildScenarios(server, session, PROFILE.concurrency);
    const idle = await measureIdle(server, quick ? 500 : 2000);
    log(`runtime idle CPU: ${idle.toFixed(2)} ms/s`);

    log('storage traces: each op, and whether the response waits for it');
    const traces: Record<string, Trace> = {};
    await fetch(`${server.issuer}/__bench/count-crypto?on=1`, { method: 'POST' });
    for (const scenario of scenarios) {
      if (scenario.traced === false) continue;
      await scenario.prepare?.(40);
      traces[scenario.key] = await traceScenario(server, session.rp, scenario, PROFILE.probeDelayMs);
    }

    await fetch(`${server.issuer}/__bench/count-crypto?on=0`, { method: 'POST' });
    await fetch(`${server.issuer}/__bench/reset`, { method: 'POST' });
    const http: Record<string, HttpMeasurement> = {};
    for (const scenario of scenarios) {
      if (scenario.load === false) continue;
      const maxRequests = scenario.supplyLimit ? Math.min(PROFILE.tokenSupply, scenario.supplyLimit) : PROFILE.maxRequests;
      await scenario.prepare?.(maxRequests);
      log(`load: ${scenario.key}`);
      http[scenario.key] = await measureHttp(
        server, { concurrency: PROFILE.concurrency, maxDurationMs: PROFILE.durationMs, maxRequests }, idle, scenario.key,
        scenarioStep(scenario, session.rp),
      );
    }
    log('load: complete sign-ins');
    const signIn = await measureHttp(
      server, { concurrency: PROFILE.concurrency, maxDurationMs: PROFILE.durationMs, maxRequests: PROFILE.maxRequests }, idle, 'sign_in',
      signInStep(server, session),
    );
    const counters = (await (await fetch(`${server.issuer}/__bench/counters`)).json()) as Record<string, { requests: number; ops: KindCounts }>;

    log('handler CPU: requests replayed inside the isolate, without HTTP, with and without storage');
    const harnessScenario = scenarios.find((sc) => sc.key === 'discovery')!;
    const harness = (count: number) => measureLoop(server, harnessScenario, Array(count).fill(harnessScenario.request(0)), { noop: true });
    const floorCount = (op: string) =>
      Math.max(1, Math.round(FLOOR_COUNTS[op as keyof typeof FLOOR_COUNTS] * (op === 'pbkdf2' ? Math.max(0.3, PROFILE.loopScale) : PROFILE.loopScale)));
    const handler: Record<string, { withStorageMs: number; rounds: Round[]; count: number }> = {};
    for (const scenario of scenarios) {
      const trace = traces[scenario.key];
      if (scenario.loopStatus === undefined || !LOOP_COUNTS[scenario.key] || !trace) continue;
      const count = Math.max(3, Math.round(LOOP_COUNTS[scenario.key]! * PROFILE.loopScale));
      // Fresh inputs (codes) for the run against real storage; the replays reuse them, storage is not consulted.
      await scenario.prepare?.(count + 1);
      const warm = scenario.warm ? { warmClient: server.fixture.client.clientId } : {};
      // Capture the WebCrypto answers too, for the replays that skip the floor primitives.
      await fetch(`${server.issuer}/__bench/capture-crypto?on=1`, { method: 'POST' });
      const recording = await recordRequest(server, session.rp, scenario);
      await fetch(`${server.issuer}/__bench/capture-crypto?on=0`, { method: 'POST' });
      const stubCrypto = scenario.floors.flatMap((f) => FLOOR_STUBS[f]);
      const requests = Array.from({ length: count }, (_, i) => scenario.request(i));
      // Many short rounds, each measuring harness, floor and endpoint back to back (in alternating order), so
      // drift in this shared machine's speed hits them alike; a round disturbed by other processes is redone.
      const perRound = requests.slice(0, Math.max(3, Math.round(count * PROFILE.roundScale)));
      // Without its floor an endpoint is cheap, so that replay can be long (storage is replayed: the
      // same requests may repeat), enough CPU per round to drown the per-measurement noise.
      const beyondCount = Math.max(perRound.length, Math.round(BEYOND_FLOOR_COUNT * PROFILE.loopScale));
      const beyondRequests = stubCrypto.length ? Array.from({ length: beyondCount }, (_, i) => requests[i % requests.length]!) : perRound;
      const rounds: Round[] = [];
      for (let round = 0; round < PROFILE.rounds; round++) {
        const quiet = await quietly(async () => {
          const harnessMs = await harness(Math.max(perRound.length, beyondRequests.length));
          const floor = async () => {
            let ms = 0;
            for (const op of scenario.floors) ms += await measureFloor(server, op, Math.max(1, Math.round(floorCount(op) * PROFILE.roundScale)), 1);
            return ms;
          };
          const replay = () => measureLoop(server, scenario, perRound, { replay: recording, ...warm });
          // The same replay with the floor's primitives answered from the recording: what is left is the
          // endpoint's CPU beyond its floor, measured directly rather than as a difference of two large numbers.
          const beyondFloor = () => measureLoop(server, scenario, beyondRequests, { replay: recording, stubCrypto, ...warm });
          let floorMs: number;
          let replayMs: number;
          if (round % 2 === 0) {
            floorMs = await floor();
            replayMs = await replay();
          } else {
            replayMs = await replay();
            floorMs = await floor();
          }
          const beyondMs = stubCrypto.length ? await beyondFloor() : replayMs;
          return { harnessMs, floorMs, workerCpuMs: replayMs - harnessMs, beyondFloorMs: beyondMs - harnessMs };
        }, QUIET_SHARE, PROFILE.quietAttempts);
        rounds.push({ ...quiet.value, foreignShare: quiet.foreignShare });
      }
      // Last: the local simulators keep working on the same thread a little after a storage-heavy replay.
      const withStorageMs = await measureLoop(server, scenario, requests, warm) - median(rounds.map((r) => r.harnessMs));
      handler[scenario.key] = { withStorageMs, rounds, count };
    }

    // After the replays, in the same conditions (the load generator idle, as it is during replays).
    log('floors: one primitive at a time, inside the runtime');
    const floors: Record<string, number> = {};
    for (const op of Object.keys(FLOOR_COUNTS)) {
      floors[op] = (await quietly(() => measureFloor(server, op, floorCount(op), PROFILE.floorRepeats), QUIET_SHARE, PROFILE.quietAttempts)).value;
    }

    const emptyCpu = http.empty?.runtimeCpuMsPerRequest ?? 0;
    const endpoints: Record<string, EndpointResult> = {};
    for (const scenario of scenarios) {
      const trace = traces[scenario.key];
      const load = http[scenario.key];
      const h = handler[scenario.key];
      const floorMs = h ? median(h.rounds.map((r) => r.floorMs)) : scenario.floors.reduce((sum, f) => sum + floors[f]!, 0);
      const workerMs = h ? median(h.rounds.map((r) => r.workerCpuMs)) : 0;
      endpoints[scenario.key] = {
        title: scenario.title,
        floorOps: scenario.floors,
        floorMs,
        http: load ? {
          requests: load.requests,
          requestsPerSecond: load.requestsPerSecond,
          p50Ms: load.p50Ms,
          p99Ms: load.p99Ms,
          runtimeCpuMs: load.runtimeCpuMsPerRequest,
          runtimeStatCpuMs: load.runtimeStatCpuMsPerRequest,
          aboveEmptyCpuMs: load.runtimeCpuMsPerRequest - emptyCpu,
          wranglerNodeCpuMs: load.wranglerCpuMsPerRequest,
          loadGeneratorCpuMs: load.clientCpuMsPerRequest,
          foreignCpuShare: load.foreignCpuShare,
        } : null,
        handler: h ? {
          replays: h.count,
          withLocalStorageMs: h.withStorageMs,
          workerCpuMs: workerMs,
          overFloorMs: median(h.rounds.map((r) => r.beyondFloorMs)),
          localStorageCpuMs: h.withStorageMs - workerMs,
          rounds: h.rounds,
        } : null,
        crypto: trace?.crypto ?? null,
        storage: trace ? {
          onPath: countOps(trace.ops, true),
          offPath: countOps(trace.ops, false),
          ops: trace.ops,
          deterministic: trace.deterministic,
          variants: trace.variants,
          underLoad: average(counters[scenario.key]),
          modelledFarUserMs: modelLatency(trace.ops, FAR_USER),
        } : null,
      };
    }

    const signInTraces = ['authorize', 'login', 'token'].map((k) => traces[k]!);
    const results: Results = {
      meta: {
        generatedAt: new Date().toISOString(),
        mode: quick ? 'quick' : 'full',
        commit: snapshot.commit,
        uncommittedSrcChanges: snapshot.uncommitted.length,
        node: process.version,
        wrangler: (await wrangler(['--version'])).stdout.trim().split('\n').pop() ?? '',
        cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
        concurrency: PROFILE.concurrency,
        loadDurationMs: PROFILE.durationMs,
        pbkdf2Iterations: PBKDF2_ITERATIONS,
        refreshTokenGrant: session.refreshSupported,
        runtimeIdleCpuMsPerSecond: idle,
        replayHarnessCpuMs: median(Object.values(handler).flatMap((h) => h.rounds.map((r) => r.harnessMs))),
        loadAverageAtEnd: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
        wallSeconds: 0,
      },
      floors,
      endpoints,
      signIn: {
        requestsPerSecond: signIn.requestsPerSecond,
        signIns: signIn.requests,
        foreignCpuShare: signIn.foreignCpuShare,
        p50Ms: signIn.p50Ms,
        p99Ms: signIn.p99Ms,
        runtimeCpuMs: signIn.runtimeCpuMsPerRequest,
        aboveEmptyCpuMs: signIn.runtimeCpuMsPerRequest - 3 * emptyCpu,
        onPath: sumCounts(signInTraces.map((t) => countOps(t.ops, true))),
        offPath: sumCounts(signInTraces.map((t) => countOps(t.ops, false))),
        modelledFarUserMs: signInTraces.reduce((ms, t) => ms + modelLatency(t.ops, FAR_USER), 0),
        latencyModel: FAR_USER,
      },
      bundle: { ...bundle.size, startup },
      targets: [],
    };
    results.targets = evaluateTargets(results);
    results.meta.wallSeconds = Math.round((Date.now() - started) / 1000);

    const markdown = renderMarkdown(results);
    const outDir = quick ? join(ROOT, 'bench/.state') : join(ROOT, 'bench');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, quick ? 'results-quick.json' : 'results.json'), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(outDir, quick ? 'RESULTS-quick.md' : 'RESULTS.md'), markdown);
    process.stdout.write(markdown);
    log(`wrote ${outDir}`);

    // Timing never fails a run; a storage round-trip count over its target does (it is deterministic).
    const broken = results.targets.filter((t) => t.deterministic && !t.met);
    if (broken.length > 0) {
      log(`round-trip targets missed: ${broken.map((t) => t.name).join('; ')}`);
      process.exitCode = 1;
    }
  } catch (err) {
    log(`wrangler output:\n${server.output().slice(-4000)}`);
    throw err;
  } finally {
    await server.stop();
    removeBundleDir(bundle.dir);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function sumCounts(list: KindCounts[]): KindCounts {
  const total = zeroCounts();
  for (const c of list) for (const k of OP_KINDS) total[k] += c[k];
  return total;
}

// Ctrl-C or a CI timeout: stop wrangler dev and remove the temporary directories before exiting.
const interruptCleanups: (() => unknown)[] = [];
function onInterrupt(cleanup: () => unknown): void {
  interruptCleanups.unshift(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    log(`${signal}: cleaning up`);
    for (const cleanup of interruptCleanups) await Promise.resolve().then(cleanup).catch(() => undefined);
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  log(`FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exitCode = 1;
});
