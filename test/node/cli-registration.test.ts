// The admin CLI for dynamic registration (node scripts/admin.ts on a throwaway local D1): initial access tokens,
// and self-registered clients listed, shown and deleted like any other.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { applyMigrations, expectOneLineError, makeTempDir, removeDir, runNode, withLocalDb, type RunResult } from './cli-harness.ts';

let dir: string;
let state: string;
// Each CLI run starts node, wrangler and workerd (1-2 s idle, several times that on a loaded machine).
const SLOW = 300_000;

function admin(args: string[]): Promise<RunResult> {
  return runNode('scripts/admin.ts', [...args, '--persist-to', state]);
}

async function adminJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const result = await admin([...args, '--json']);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  dir = makeTempDir('cli-registration');
  state = join(dir, 'state');
  await applyMigrations(state);
});

afterAll(() => removeDir(dir));

describe('client registration-token create', () => {
  it('prints the token once (--json: initial_access_token, expires_at; 7 days by default) and stores only its digest', async () => {
    const out = await adminJson<{ initial_access_token: string; expires_at: string }>(['client', 'registration-token', 'create']);
    expect(Object.keys(out).sort()).toEqual(['expires_at', 'initial_access_token']);
    expect(out.initial_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(out.expires_at) - Date.now()).toBeGreaterThan(7 * 86_400_000 - 120_000);
    expect(Date.parse(out.expires_at) - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    const rows = await withLocalDb(state, (db) => db.prepare('SELECT token_hash, expires_at FROM registration_tokens').all<{ token_hash: string; expires_at: number }>());
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.token_hash).toBe(await digestToken(out.initial_access_token));

    const human = await admin(['client', 'registration-token', 'create', '--expires', '30m']);
    expect(human.code).toBe(0);
    const token = /initial_access_token: (\S+)/.exec(human.stdout)![1]!;
    expect(human.stdout.split(token)).toHaveLength(2);
    expect(human.stdout).toContain('shown only this once');
    const expiry = /expires (\S+)\./.exec(human.stdout)![1]!;
    expect(Math.abs(Date.parse(expiry) - Date.now() - 30 * 60_000)).toBeLessThan(120_000);
  }, SLOW);

  it('refuses an --expires it cannot read or out of range, in one line, before touching the database', async () => {
    for (const value of ['forever', '0d', '366d', '10']) {
      const line = expectOneLineError(await admin(['client', 'registration-token', 'create', '--expires', value]));
      expect(line).toContain('--expires');
    }
    expect(expectOneLineError(await admin(['client', 'registration-token', 'create', '--name', 'x']))).toContain('does not take --name');
  }, SLOW);
});

describe('self-registered clients', () => {
  it('are marked in client list (BY dcr, registered_by in --json) and client show, and client delete removes them', async () => {
    await adminJson(['client', 'create', '--name', 'Admin App', '--client-id', 'admin-app', '--redirect-uri', 'https://admin.example/cb']);
    await withLocalDb(state, (db) => db.prepare(
      `INSERT INTO clients (client_id, secret_hash, name, token_endpoint_auth_method, grant_types, scopes, redirect_uris, created_at, updated_at,
         registered_by, registration_token_hash) VALUES ('dcr-app', NULL, 'MCP client', 'none', '["authorization_code"]', '["openid"]',
         '["http://127.0.0.1:3000/cb"]', 1, 1, 'dcr', 'sha256$x')`).run());

    const listed = await adminJson<{ client_id: string; registered_by: string }[]>(['client', 'list']);
    expect(listed.map((c) => [c.client_id, c.registered_by])).toEqual([['dcr-app', 'dcr'], ['admin-app', 'admin']]);
    const table = await admin(['client', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CLIENT_ID\s+TYPE\s+BY\s+GRANTS\s+NAME\s+RESOURCES$/);
    expect(table.stdout).toMatch(/dcr-app\s+public\s+dcr\s+authorization_code\s+MCP client/);
    expect((await admin(['client', 'show', 'dcr-app'])).stdout).toMatch(/registered by:\s+dcr/);

    expect(await adminJson(['client', 'delete', 'dcr-app'])).toEqual({ client_id: 'dcr-app', deleted: true });
    expect((await adminJson<{ client_id: string }[]>(['client', 'list'])).map((c) => c.client_id)).toEqual(['admin-app']);
  }, SLOW);
});
