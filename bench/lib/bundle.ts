// The deployable bundle: its size (raw, gzip, by package), and its start-up cost in a bare workerd.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { processCpuMs } from './cpu.ts';
import { freePort } from '../../scripts/lib/net.ts';
import { ROOT, wrangler } from './server.ts';

const WORKERD = join(ROOT, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
  /** What wrangler itself reports for the upload ("Total Upload: … / gzip: …"). */
  wranglerReport: string | null;
  /** Bytes in the minified output by package (node_modules) or source folder, largest first. */
  byOrigin: { origin: string; bytes: number }[];
  largestModules: { module: string; bytes: number }[];
}

export interface Startup {
  method: string;
  isolates: number;
  repeats: number;
  /** Extra CPU per isolate to parse, compile and evaluate the bundle's module scope, over an empty Worker's. */
  moduleScopeCpuMs: number;
  emptyIsolateCpuMs: number;
  bundleIsolateCpuMs: number;
  /** Wall time of the first request to a fresh isolate (imports keys, parses config), and of warm ones. */
  firstRequestMs: number;
  warmRequestMs: number;
}

interface Metafile {
  outputs: Record<string, { inputs?: Record<string, { bytesInOutput: number }> }>;
}

function origin(input: string): string {
  const nm = input.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = input.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : input;
}

/** `wrangler deploy --dry-run --outdir`: exactly what would be uploaded, with the project's wrangler.toml. */
export async function buildDeployBundle(): Promise<{ dir: string; size: BundleSize; mainModule: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-oidc-bundle-'));
  const metafile = join(dir, 'meta.json');
  const outdir = join(dir, 'out');
  const { stdout, stderr } = await wrangler(['deploy', '--dry-run', '--outdir', outdir, '--metafile', metafile]);
  const report = /Total Upload: ([^\n]+)/.exec(stdout + stderr)?.[1]?.trim() ?? null;
  const modules = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
  const mainModule = modules.includes('index.js') ? 'index.js' : modules[0]!;
  const contents = modules.map((f) => readFileSync(join(outdir, f)));
  const rawBytes = contents.reduce((n, c) => n + c.byteLength, 0);
  const gzipBytes = contents.reduce((n, c) => n + gzipSync(c, { level: 9 }).byteLength, 0);

  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  const byOrigin = new Map<string, number>();
  const largest: { module: string; bytes: number }[] = [];
  for (const [name, output] of Object.entries(meta.outputs)) {
    if (name.endsWith('.map')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
      const key = origin(input.replace(/^(\.\.\/)+/, ''));
      byOrigin.set(key, (byOrigin.get(key) ?? 0) + bytesInOutput);
      largest.push({ module: input.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, ''), bytes: bytesInOutput });
    }
  }
  return {
    dir,
    mainModule,
    size: {
      rawBytes,
      gzipBytes,
      wranglerReport: report,
      byOrigin: [...byOrigin].map(([o, bytes]) => ({ origin: o, bytes })).sort((a, b) => b.bytes - a.bytes),
      largestModules: largest.sort((a, b) => b.bytes - a.bytes).slice(0, 15),
    },
  };
}

function capnpString(value: string): string {
  return JSON.stringify(value);
}

/** A workerd config with `copies` isolates of one module; only the first gets the socket and the secrets. */
function workerdConfig(dir: string, module: string, copies: number, port: number, secrets: Record<string, string>, compat: string): string {
  const bindings = (withSecrets: boolean) => {
    // No D1 or KV here (bare workerd has no simulators); discovery never calls them, but the app may wrap them.
    const list = [
      `(name = "ISSUER", text = ${capnpString(`http://127.0.0.1:${port}`)})`,
      '(name = "DB", json = "{}")',
      '(name = "CODES", json = "{}")',
    ];
    if (withSecrets) {
      for (const [name, value] of Object.entries(secrets)) {
        writeFileSync(join(dir, `secret-${name}`), value);
        list.push(`(name = ${capnpString(name)}, text = embed ${capnpString(`secret-${name}`)})`);
      }
    }
    return list.join(', ');
  };
  const services = Array.from({ length: copies }, (_, i) =>
    `(name = "w${i}", worker = (modules = [(name = "index.js", esModule = embed ${capnpString(module)})], ` +
    `compatibilityDate = ${capnpString(compat)}, bindings = [${bindings(i === 0)}]))`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${services.join(',\n    ')}],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "w0")],
);
`;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`workerd did not listen on ${port}`);
    await sleep(10);
  }
}

/** workerd keeps loading isolates after it starts listening: wait until its CPU stops moving. */
async function settledCpu(pid: number): Promise<number> {
  let last = processCpuMs(pid);
  for (let stable = 0, i = 0; stable < 3 && i < 100; i++) {
    await sleep(150);
    const now = processCpuMs(pid);
    // Under 1 ms in 150 ms: idle (the event loop's own wake-ups).
    stable = now - last < 1 ? stable + 1 : 0;
    last = now;
  }
  return last;
}

async function startupRun(dir: string, module: string, copies: number, secrets: Record<string, string>, compat: string, path: string | null) {
  const port = await freePort();
  const config = join(dir, `config-${module}-${copies}.capnp`);
  writeFileSync(config, workerdConfig(dir, module, copies, port, secrets, compat));
  const child = spawn(WORKERD, ['serve', config], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await waitForPort(port, 30_000).catch((err: unknown) => { throw new Error(`${String(err)}\n${stderr}`); });
    const cpuMs = await settledCpu(child.pid!);
    let firstMs = Number.NaN;
    let warmMs = Number.NaN;
    if (path) {
      const url = `http://127.0.0.1:${port}${path}`;
      const t0 = performance.now();
      const first = await fetch(url);
      await first.text();
      firstMs = performance.now() - t0;
      if (!first.ok) throw new Error(`bundle answered ${first.status} in bare workerd:\n${stderr}`);
      const warm: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        await (await fetch(url)).text();
        warm.push(performance.now() - t);
      }
      warmMs = warm.sort((a, b) => a - b)[15]!;
    }
    return { cpuMs, firstMs, warmMs };
  } finally {
    child.kill('SIGKILL');
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Start-up cost of the module scope, measured in a bare workerd (no wrangler): CPU of a workerd
 * loading `copies` isolates of the bundle, less the same number of isolates of an empty Worker,
 * divided by `copies`. First-request and warm latency come from the first isolate.
 */
export async function measureStartup(bundleDir: string, mainModule: string, secrets: Record<string, string>, repeats: number): Promise<Startup> {
  const dir = join(bundleDir, 'out');
  const compat = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1] ?? '2026-11-01';
  writeFileSync(join(dir, 'empty.js'), 'export default { fetch() { return new Response("ok"); } };\n');
  const copies = 20;
  const empty: number[] = [];
  const bundle: number[] = [];
  const first: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < repeats; r++) {
    empty.push((await startupRun(dir, 'empty.js', copies, {}, compat, null)).cpuMs / copies);
    const b = await startupRun(dir, mainModule, copies, secrets, compat, '/.well-known/openid-configuration');
    bundle.push(b.cpuMs / copies);
    first.push(b.firstMs);
    warm.push(b.warmMs);
  }
  const emptyIsolateCpuMs = median(empty);
  const bundleIsolateCpuMs = median(bundle);
  return {
    method:
      `bare workerd ${copies} isolates of the deploy bundle vs ${copies} of an empty Worker, CPU from /proc once ` +
      `workerd's CPU stops moving; difference / ${copies}; median of ${repeats}. First vs warm request: wall time on isolate 0.`,
    isolates: copies,
    repeats,
    moduleScopeCpuMs: bundleIsolateCpuMs - emptyIsolateCpuMs,
    emptyIsolateCpuMs,
    bundleIsolateCpuMs,
    firstRequestMs: median(first),
    warmRequestMs: median(warm),
  };
}

export function removeBundleDir(dir: string): void {
  if (statSync(dir, { throwIfNoEntry: false })) rmSync(dir, { recursive: true, force: true });
}
