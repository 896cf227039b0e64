// npm run bench:profile -- <scenario> [count]: where one endpoint's CPU goes, for work on a CPU target.
// Replays the scenario inside the isolate as `npm run bench` does (storage answered from a recording, the floor's
// crypto stubbed) and prints (1) its CPU beyond the floor, less the harness, median of ROUNDS (default 5), then
// (2) a V8 CPU profile of the same replay, read through wrangler dev's inspector: self and inclusive time by
// function (top TOP, default 45). The raw profile goes to bench/.state/<scenario>.cpuprofile (Chrome DevTools
// opens it). The bundle is built unminified, so names and lines are readable.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeBundleDir } from './lib/bundle.ts';
import { measureLoop } from './lib/measure.ts';
import { recordRequest } from './lib/trace.ts';
import { buildScenarios, openSession, type FloorName } from './lib/scenarios.ts';
import { BENCH_ENTRY, ROOT, startBenchServer, wrangler } from './lib/server.ts';
import { tmpdir } from 'node:os';

const FLOOR_STUBS: Record<FloorName, string[]> = {
  pbkdf2: ['deriveBits PBKDF2'], rs256: ['sign RSASSA-PKCS1-v1_5'], es256: ['sign ECDSA'], es256_verify: ['verify ECDSA'],
  hs256: [], sha256: [],
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

class Inspector {
  private next = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  private readonly ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener('message', (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) waiter?.fail(new Error(msg.error.message));
      else waiter?.ok(msg.result);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error('no inspector target');
    // wrangler's inspector proxy accepts local DevTools origins only; undici's WebSocket takes headers.
    const ws = new WebSocket(url, { headers: { Origin: `http://127.0.0.1:${port}` } } as unknown as string[]);
    await new Promise((ok, fail) => {
      ws.addEventListener('open', ok);
      ws.addEventListener('error', (e) => fail(new Error(`inspector: ${(e as ErrorEvent).message}`)));
    });
    return new Inspector(ws);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => this.pending.set(id, { ok: ok as (v: unknown) => void, fail }));
  }

  close(): void {
    this.ws.close();
  }
}

function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url ? f.url.replace(/^.*\/(node_modules\/)?/, '') : '(native)';
    const name = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const key = idle.has(f.functionName) ? f.functionName : file;
    byFile.set(key, (byFile.get(key) ?? 0) + us);
  }
  // Inclusive time: a function's own samples plus its callees' (counted once per sample even if recursive).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url) continue;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  return `total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by function:\n${rows(byFunction)}\n\nself time by file:\n${rows(byFile)}\n\ninclusive time by function:\n${rows(inclusive)}`;
}

const ROUNDS = Number(process.env.ROUNDS ?? 5);

async function main(): Promise<void> {
  const key = process.argv[2] ?? 'token';
  const count = Number(process.argv[3] ?? 3000);
  const dir = mkdtempSync(join(tmpdir(), 'edge-oidc-profile-'));
  const config = join(dir, 'wrangler.toml');
  copyFileSync(join(ROOT, 'wrangler.toml'), config);
  await wrangler(['deploy', '--dry-run', '--config', config, '--outdir', join(dir, 'bench'), '--minify=false', BENCH_ENTRY]);
  const server = await startBenchServer(join(dir, 'bench', 'index.js'), config);
  try {
    const session = await openSession(server);
    const scenario = buildScenarios(server, session, 8).find((s) => s.key === key);
    if (!scenario || scenario.loopStatus === undefined) throw new Error(`no replayable scenario ${key}`);
    await scenario.prepare?.(4);
    if (scenario.warm) await scenario.check(await session.rp.send(scenario.request(0), { 'x-bench-label': 'setup' }));
    await fetch(`${server.issuer}/__bench/capture-crypto?on=1`, { method: 'POST' });
    const recording = await recordRequest(server, session.rp, scenario);
    await fetch(`${server.issuer}/__bench/capture-crypto?on=0`, { method: 'POST' });
    const body = {
      label: `profile:${key}`, request: scenario.request(1), repeat: count, replay: recording,
      stubCrypto: scenario.floors.flatMap((f) => FLOOR_STUBS[f]),
      ...(scenario.warm ? { warmClient: server.fixture.client.clientId } : {}),
    };
    const loop = async () => {
      const res = await fetch(`${server.issuer}/__bench/loop`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok || !text.includes(`"${scenario.loopStatus}":${count}`)) throw new Error(`replay answered ${res.status}: ${text.slice(0, 300)}`);
    };
    await loop(); // warm-up: JIT, caches
    // The bench's own figure first (no profiler): CPU beyond the floor, less the replay harness, per request.
    const requests = Array.from({ length: count }, () => body.request);
    const options = { replay: recording, stubCrypto: body.stubCrypto, ...(body.warmClient ? { warmClient: body.warmClient } : {}) };
    const beyond: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const harness = await measureLoop(server, scenario, requests, { noop: true });
      beyond.push((await measureLoop(server, scenario, requests, options)) - harness);
    }
    beyond.sort((a, b) => a - b);
    console.log(`${key}: CPU beyond the floor ${beyond[beyond.length >> 1]!.toFixed(3)} ms (median of ${ROUNDS}; all: ${beyond.map((b) => b.toFixed(3)).join(' ')})`);
    const inspector = await Inspector.connect(server.inspectorPort);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 50 });
    await inspector.send('Profiler.start');
    const started = performance.now();
    await loop();
    const wallMs = performance.now() - started;
    const { profile } = await inspector.send<{ profile: Profile }>('Profiler.stop');
    inspector.close();
    mkdirSync(join(ROOT, 'bench/.state'), { recursive: true });
    const out = join(ROOT, 'bench/.state', `${key}.cpuprofile`);
    writeFileSync(out, JSON.stringify(profile));
    console.log(`${key}: ${count} replays in ${wallMs.toFixed(0)} ms wall (${((wallMs / count) * 1000).toFixed(0)} µs each, profiler on)\n`);
    console.log(summarise(profile, Number(process.env.TOP ?? 45)));
    console.log(`\nprofile: ${out}`);
  } finally {
    await server.stop();
    removeBundleDir(dir);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
