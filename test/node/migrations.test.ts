// The admin CLI on a fresh clone (issue 11 §5.5) and `doctor` against a real wrangler dev (§5.2, §7, §8).
import { cpSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, ROOT, runNode } from './cli-harness.ts';
import { type DevServer, startDevServer } from './helpers/dev-server.ts';

interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

let project: string;

/** A copy of what the CLI reads (wrangler.toml, migrations/), so .dev.vars and extra migrations stay out of the repo. */
function makeProject(): string {
  const dir = makeTempDir('migrations');
  copyFileSync(join(ROOT, 'wrangler.toml'), join(dir, 'wrangler.toml'));
  cpSync(join(ROOT, 'migrations'), join(dir, 'migrations'), { recursive: true });
  return dir;
}

function devVars(secrets: Record<string, string>): string {
  return Object.entries(secrets).map(([k, v]) => `${k}='${v}'\n`).join('');
}

beforeAll(() => {
  project = makeProject();
});

afterAll(() => removeDir(project));

describe('admin CLI before the first npm run dev', () => {
  it('applies the local migrations itself, once, and then runs the command', async () => {
    const state = join(project, 'fresh-state');
    const first = await runNode('scripts/admin.ts', ['client', 'create', '--name', 'App', '--redirect-uri', 'https://app.example/cb', '--client-id', 'app', '--json', '--persist-to', state], { cwd: project });
    expect(first.stderr).toMatch(/^Applied \d+ migrations? \(0001_initial\.sql.*\) to the local D1\.\n$/);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ client_id: 'app' });
    const second = await runNode('scripts/admin.ts', ['client', 'list', '--json', '--persist-to', state], { cwd: project });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual([expect.objectContaining({ client_id: 'app' })]);
  }, 120_000);
});

describe('doctor --issuer URL against wrangler dev', () => {
  let server: DevServer;
  const doctor = (args: string[]) => runNode('scripts/admin.ts', ['doctor', '--persist-to', server.persistDir, ...args], { cwd: project });

  beforeAll(async () => {
    server = await startDevServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('passes every check and exits 0 for the served issuer, printing no secret value', async () => {
    writeFileSync(join(project, '.dev.vars'), devVars(server.secrets));
    const result = await doctor(['--issuer', server.issuer]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok discovery', 'ok jwks', 'ok secrets', 'ok bindings', 'ok migrations',
    ]);
    for (const value of Object.values(server.secrets)) expect(result.stdout).not.toContain(value.slice(0, 24));
  }, 120_000);

  it('fails the discovery check and exits 1 when the URL is not the issuer', async () => {
    const wrong = server.issuer.replace('127.0.0.1', 'localhost');
    const result = await doctor(['--issuer', wrong, '--json']);
    expect(result.code).toBe(1);
    const checks = JSON.parse(result.stdout) as Check[];
    expect(checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['discovery']);
    expect(checks[0]!.detail).toContain(`expected ${wrong}`);
  }, 120_000);

  it('reports a pending migration and a missing secret by name', async () => {
    const { SESSION_SECRET: _dropped, ...rest } = server.secrets;
    writeFileSync(join(project, '.dev.vars'), devVars(rest));
    writeFileSync(join(project, 'migrations', '9999_pending.sql'), 'SELECT 1;\n');
    const result = await doctor(['--issuer', server.issuer, '--json']);
    expect(result.code).toBe(1);
    const failed = (JSON.parse(result.stdout) as Check[]).filter((c) => !c.ok);
    expect(failed.map((c) => c.check)).toEqual(['secrets', 'migrations']);
    expect(failed[0]!.detail).toBe('missing from .dev.vars: SESSION_SECRET');
    expect(failed[1]!.detail).toMatch(/^1 pending migration \(9999_pending\.sql\): run npx wrangler d1 migrations apply DB --local$/);
    expect(result.stderr).toBe('error: doctor: 2 of 5 checks failed\n');
  }, 120_000);
});
