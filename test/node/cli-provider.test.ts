// The admin CLI's `provider` commands against a throwaway local D1: presets, the secret encrypted at rest, list --json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { openClientSecret } from '../../src/upstream/secret.ts';
import { applyMigrations, expectOneLineError, makeTempDir, removeDir, runNode, withLocalDb, type RunOptions } from './cli-harness.ts';

let dir: string;
let state: string;
let keyFile: string;
const KEY = `k1:${Buffer.from(randomToken(24)).subarray(0, 32).toString('base64')}`;
const SLOW = 300_000;

function admin(args: string[], options: RunOptions = {}) {
  return runNode('scripts/admin.ts', [...args, '--persist-to', state, '--data-key-file', keyFile], options);
}

async function adminJson<T>(args: string[], options: RunOptions = {}): Promise<T> {
  const result = await admin([...args, '--json'], options);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  dir = makeTempDir('cli-provider');
  state = join(dir, 'state');
  keyFile = join(dir, 'data-key');
  writeFileSync(keyFile, `${KEY}\n`);
  await applyMigrations(state);
});

afterAll(() => removeDir(dir));

describe('provider', () => {
  it('adds presets, stores the secret encrypted and bound to the name, lists as [{name, kind, issuer, enabled}]', async () => {
    await adminJson(['provider', 'add', '--kind', 'google', '--name', 'google', '--client-id', 'g-id', '--client-secret-stdin',
      '--trust-email', '--allowed-domain', 'Example.com'], { input: 'g-secret\n' });
    const ms = await adminJson<Record<string, unknown>>(['provider', 'add', '--kind', 'microsoft', '--tenant', 'common', '--name', 'ms',
      '--client-id', 'm-id', '--client-secret-stdin'], { input: 'm-secret' });
    expect(ms).toMatchObject({ issuer: 'https://login.microsoftonline.com/common/v2.0', tenant: 'common', trust_email: false });
    expect(JSON.stringify(ms)).not.toContain('m-secret');
    await adminJson(['provider', 'add', '--kind', 'github', '--name', 'gh', '--client-id', 'h-id', '--client-secret-stdin'], { input: 'h' });
    const list = await adminJson<unknown[]>(['provider', 'list']);
    expect(list).toEqual([
      { name: 'gh', kind: 'github', issuer: 'https://github.com', enabled: true },
      { name: 'google', kind: 'google', issuer: 'https://accounts.google.com', enabled: true },
      { name: 'ms', kind: 'microsoft', issuer: 'https://login.microsoftonline.com/common/v2.0', enabled: true },
    ]);
    const stored = await withLocalDb(state, (db) =>
      db.prepare("SELECT client_secret, allowed_domains FROM upstream_providers WHERE name = 'google'").first<{ client_secret: string; allowed_domains: string }>());
    expect(stored!.client_secret).not.toContain('g-secret');
    expect(stored!.allowed_domains).toBe('["example.com"]');
    const keys = await importDataKeys(KEY);
    expect(await openClientSecret(keys, 'google', stored!.client_secret)).toBe('g-secret');
    expect(await openClientSecret(keys, 'ms', stored!.client_secret)).toBeNull();
  }, SLOW);

  it('updates, shows and removes; refuses bad input with one line', async () => {
    const updated = await adminJson<Record<string, unknown>>(['provider', 'update', 'gh', '--disable', '--trust-email']);
    expect(updated).toMatchObject({ name: 'gh', enabled: false, trust_email: true });
    expect(await adminJson(['provider', 'show', 'gh'])).toMatchObject({ enabled: false, scopes: ['read:user', 'user:email'] });
    expect(await adminJson(['provider', 'remove', 'gh'])).toEqual({ name: 'gh', removed: true });
    expect(expectOneLineError(await admin(['provider', 'show', 'gh']))).toBe('error: no provider named gh');
    const bad = [
      ['provider', 'add', '--kind', 'saml', '--name', 'x', '--client-id', 'i', '--client-secret-stdin'],
      ['provider', 'add', '--kind', 'oidc', '--name', 'x', '--client-id', 'i', '--client-secret-stdin'],
      ['provider', 'add', '--kind', 'oidc', '--name', 'x', '--issuer', 'http://evil.example', '--client-id', 'i', '--client-secret-stdin'],
      ['provider', 'add', '--kind', 'microsoft', '--name', 'x', '--client-id', 'i', '--client-secret-stdin'],
      ['provider', 'add', '--kind', 'google', '--name', 'Bad Name', '--client-id', 'i', '--client-secret-stdin'],
      ['provider', 'add', '--kind', 'google', '--name', 'x', '--client-id', 'i'],
      ['provider', 'add', '--kind', 'google', '--name', 'google', '--client-id', 'i', '--client-secret-stdin'],
    ];
    const errors = await Promise.all(bad.map((args) => admin(args, { input: 'secret' }).then(expectOneLineError)));
    expect(errors).toEqual([
      'error: --kind must be one of oidc, google, microsoft, github',
      'error: --kind oidc needs --issuer URL',
      'error: --issuer http://evil.example must be an https URL without query, fragment or credentials',
      'error: --kind microsoft needs --tenant (common, organizations, consumers, or a tenant id or domain)',
      'error: --name must be 1-32 of a-z 0-9 _ - (starting with a letter or digit)',
      'error: the client secret comes from stdin: pass --client-secret-stdin',
      'error: a provider named google exists',
    ]);
  }, SLOW);
});
