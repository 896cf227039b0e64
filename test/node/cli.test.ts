// The admin CLI run as a user runs it (node scripts/admin.ts) against a throwaway local D1 with the schema applied.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClientSecret } from '../../src/crypto/digest.ts';
import { importKeySet } from '../../src/crypto/keys.ts';
import { importPeppers, verifyPassword } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import {
  applyMigrations, expectOneLineError, makeTempDir, removeDir, ROOT, runNode, withLocalDb, type RunOptions, type RunResult,
} from './cli-harness.ts';

let dir: string;
let state: string;
let pepperFile: string;
const PEPPER = `1:${randomToken(32)}`;
// Each CLI run starts node, wrangler and workerd (1-2 s idle, several times that on a loaded machine).
const SLOW = 300_000;

function admin(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runNode('scripts/admin.ts', [...args, '--persist-to', state], options);
}

/** Runs a command that must succeed and returns its parsed --json output. */
async function adminJson<T = Record<string, unknown>>(args: string[], options: RunOptions = {}): Promise<T> {
  const result = await admin([...args, '--json'], options);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function storedClient(clientId: string) {
  return withLocalDb(state, (db) =>
    db.prepare('SELECT secret_hash, redirect_uris FROM clients WHERE client_id = ?').bind(clientId)
      .first<{ secret_hash: string | null; redirect_uris: string }>());
}

function storedUser(username: string) {
  return withLocalDb(state, (db) =>
    db.prepare('SELECT id, password_hash, disabled FROM users WHERE username = ?').bind(username)
      .first<{ id: string; password_hash: string; disabled: number }>());
}

beforeAll(async () => {
  dir = makeTempDir('cli');
  state = join(dir, 'state');
  pepperFile = join(dir, 'pepper');
  writeFileSync(pepperFile, `${PEPPER}\n`);
  await applyMigrations(state);
});

afterAll(() => removeDir(dir));

// Commands run one at a time on the shared state, except ones that fail before D1 is opened: separate
// workerd processes on one SQLite file can meet SQLITE_BUSY, which workerd reports on stderr.
describe('client create', () => {
  it('prints exactly client_id and client_secret with --json, and stores only a verifiable hash', async () => {
    const out = await adminJson(['client', 'create', '--name', 'Shop', '--redirect-uri', 'https://shop.example/cb', '--client-id', 'shop']);
    expect(Object.keys(out).sort()).toEqual(['client_id', 'client_secret']);
    expect(out.client_id).toBe('shop');
    const secret = out.client_secret as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const row = await storedClient('shop');
    expect(row!.secret_hash).not.toBe(secret);
    expect(row!.secret_hash).not.toContain(secret);
    expect(await verifyClientSecret(secret, row!.secret_hash!)).toBe(true);
    expect(await verifyClientSecret(`${secret}x`, row!.secret_hash!)).toBe(false);

    const show = await admin(['client', 'show', 'shop']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('shop');
    expect(show.stdout).toContain('confidential (client_secret_basic)');
    expect(show.stdout).toContain('https://shop.example/cb');
    expect(show.stdout).not.toContain(secret);
    expect(show.stdout).not.toContain('sha256$');
  }, SLOW);

  it('applies the documented defaults and a generated 16-byte client_id', async () => {
    const { client_id } = await adminJson<{ client_id: string }>(['client', 'create', '--name', 'Defaults', '--redirect-uri', 'https://d.example/cb']);
    expect(client_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const shown = await adminJson(['client', 'show', client_id]);
    expect(shown).toMatchObject({
      client_type: 'confidential',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile email offline_access',
      id_token_signed_response_alg: 'RS256',
      audience: null,
      first_party: false,
      mfa_policy: null,
    });
  }, SLOW);

  it('sets a client\'s own second-factor policy with --mfa, and default follows MFA_POLICY again', async () => {
    const { client_id } = await adminJson<{ client_id: string }>(
      ['client', 'create', '--name', 'Bank', '--redirect-uri', 'https://bank.example/cb', '--mfa', 'required'],
    );
    expect(await adminJson(['client', 'show', client_id])).toMatchObject({ mfa_policy: 'required' });
    expect(await adminJson(['client', 'update', client_id, '--mfa', 'off'])).toMatchObject({ mfa_policy: 'off' });
    expect(await adminJson(['client', 'update', client_id, '--mfa', 'default'])).toMatchObject({ mfa_policy: null });
    const stored = await withLocalDb(state, (db) => db.prepare('SELECT mfa_policy FROM clients WHERE client_id = ?').bind(client_id).first<{ mfa_policy: string | null }>());
    expect(stored?.mfa_policy).toBeNull();
    expect((await admin(['client', 'show', client_id])).stdout).toContain("the deployment's (MFA_POLICY)");
    expect(expectOneLineError(await admin(['client', 'update', client_id, '--mfa', 'sometimes']))).toMatch(/--mfa must be one of off, optional, required, default/);
  }, SLOW);

  it('marks a client first-party on create or update, and third-party again', async () => {
    const { client_id } = await adminJson<{ client_id: string }>(
      ['client', 'create', '--name', 'Own app', '--redirect-uri', 'https://own.example/cb', '--first-party'],
    );
    expect(await adminJson(['client', 'show', client_id])).toMatchObject({ first_party: true });
    expect(await adminJson(['client', 'update', client_id, '--third-party'])).toMatchObject({ first_party: false });
    expect(await adminJson(['client', 'update', client_id, '--first-party'])).toMatchObject({ first_party: true });
    const stored = await withLocalDb(state, (db) => db.prepare('SELECT first_party FROM clients WHERE client_id = ?').bind(client_id).first<{ first_party: number }>());
    expect(stored?.first_party).toBe(1);
    expect(expectOneLineError(await admin(['client', 'update', client_id, '--first-party', '--third-party']))).toMatch(/exclude each other/);
  }, SLOW);

  it('creates a public client without a secret', async () => {
    const out = await adminJson([
      'client', 'create', '--name', 'SPA', '--public', '--redirect-uri', 'http://127.0.0.1:5173/cb',
      '--redirect-uri', 'com.example.app:/oauth', '--client-id', 'spa', '--id-token-alg', 'ES256',
      '--post-logout-redirect-uri', 'http://localhost:5173/bye', '--scope', 'openid email',
    ]);
    expect(out).toEqual({ client_id: 'spa', client_secret: null });
    expect((await storedClient('spa'))!.secret_hash).toBeNull();
    const shown = await adminJson(['client', 'show', 'spa']);
    expect(shown).toMatchObject({
      client_type: 'public', token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'ES256', scope: 'openid email',
      redirect_uris: ['http://127.0.0.1:5173/cb', 'com.example.app:/oauth'],
      post_logout_redirect_uris: ['http://localhost:5173/bye'],
    });
  }, SLOW);

  it('refuses bad redirect URIs with one line naming the URI and the reason', async () => {
    const cases: [string, RegExp][] = [
      ['https://app.example/cb#frag', /fragment/],
      ['https://*.example.com/cb', /wildcard/],
      ['http://app.example.com/cb', /must use https/],
      ['/relative/cb', /not an absolute URI/],
      ['javascript:alert(1)', /must use https/],
    ];
    const results = await Promise.all(
      cases.map(([uri]) => admin(['client', 'create', '--name', 'Bad', '--redirect-uri', 'https://ok.example/cb', '--redirect-uri', uri])),
    );
    results.forEach((result, i) => {
      const [uri, reason] = cases[i]!;
      const line = expectOneLineError(result);
      expect(line).toContain(JSON.stringify(uri));
      expect(line).toMatch(reason);
    });
    expect(await adminJson<unknown[]>(['client', 'list'])).not.toContainEqual(expect.objectContaining({ client_name: 'Bad' }));
  }, SLOW);

  it('enforces the rules between grants, auth methods and redirect URIs', async () => {
    const [publicCc, noRedirect, unknownGrant, badMethod, noAudience] = await Promise.all([
      admin(['client', 'create', '--name', 'X', '--public', '--grant', 'client_credentials', '--audience', 'https://api.example']),
      admin(['client', 'create', '--name', 'X']),
      admin(['client', 'create', '--name', 'X', '--grant', 'password']),
      admin(['client', 'create', '--name', 'X', '--redirect-uri', 'https://x.example/cb', '--auth-method', 'private_key_jwt']),
      admin(['client', 'create', '--name', 'X', '--grant', 'client_credentials']),
    ]);
    expect(expectOneLineError(publicCc)).toMatch(/client_credentials needs a confidential client/);
    expect(expectOneLineError(noRedirect)).toMatch(/authorization_code grant needs at least one --redirect-uri/);
    expect(expectOneLineError(unknownGrant)).toMatch(/unknown grant type "password"/);
    expect(expectOneLineError(badMethod)).toMatch(/--auth-method must be one of client_secret_basic, client_secret_post/);
    expect(expectOneLineError(noAudience)).toMatch(/client_credentials needs --audience/);

    const machine = await adminJson(['client', 'create', '--name', 'Batch job', '--grant', 'client_credentials', '--auth-method', 'client_secret_post', '--audience', 'https://api.example']);
    expect(typeof machine.client_secret).toBe('string');
    const device = await adminJson(['client', 'create', '--name', 'TV', '--public', '--grant', 'urn:ietf:params:oauth:grant-type:device_code', '--grant', 'refresh_token']);
    expect(device.client_secret).toBeNull();
  }, SLOW);

  it('refuses a duplicate client_id', async () => {
    const result = await admin(['client', 'create', '--name', 'Again', '--client-id', 'shop', '--redirect-uri', 'https://shop.example/cb']);
    expect(expectOneLineError(result)).toMatch(/already exists/);
  }, SLOW);
});

describe('client lifecycle', () => {
  let firstSecret: string;

  it('updates settings, replacing lists and re-checking the rules', async () => {
    firstSecret = (await adminJson<{ client_secret: string }>(
      ['client', 'create', '--name', 'Life', '--client-id', 'life', '--redirect-uri', 'https://life.example/cb'],
    )).client_secret;
    const updated = await adminJson(['client', 'update', 'life', '--name', 'Life 2', '--scope', 'openid', '--scope', 'profile', '--audience', 'https://api.life']);
    expect(updated).toMatchObject({ client_name: 'Life 2', scope: 'openid profile', audience: 'https://api.life', redirect_uris: ['https://life.example/cb'] });
    const [evil, nothing] = await Promise.all([
      admin(['client', 'update', 'life', '--redirect-uri', 'http://evil.example/cb']),
      admin(['client', 'update', 'life']),
    ]);
    expect(expectOneLineError(evil)).toContain('"http://evil.example/cb"');
    expect(expectOneLineError(nothing)).toMatch(/needs at least one of/);
    expect(expectOneLineError(await admin(['client', 'update', 'spa', '--grant', 'client_credentials']))).toMatch(
      /client_credentials needs a confidential client/,
    );
    // RFC 9700 §4.9: a client-credentials token names its resource, never the issuer.
    expect(expectOneLineError(await admin(['client', 'update', 'life', '--grant', 'client_credentials', '--audience', '']))).toMatch(
      /client_credentials needs --audience/,
    );
  }, SLOW);

  it('adds a redirect URI and rotates the secret', async () => {
    expect((await admin(['client', 'add-redirect-uri', 'life', 'https://life.example/cb2'])).code).toBe(0);
    expect(JSON.parse((await storedClient('life'))!.redirect_uris)).toEqual(['https://life.example/cb', 'https://life.example/cb2']);

    const rotated = await adminJson<{ client_id: string; client_secret: string }>(['client', 'rotate-secret', 'life']);
    expect(Object.keys(rotated).sort()).toEqual(['client_id', 'client_secret']);
    expect(rotated.client_secret).not.toBe(firstSecret);
    const hash = (await storedClient('life'))!.secret_hash!;
    expect(await verifyClientSecret(rotated.client_secret, hash)).toBe(true);
    expect(await verifyClientSecret(firstSecret, hash)).toBe(false);
    expect(expectOneLineError(await admin(['client', 'rotate-secret', 'spa']))).toMatch(/public/);
  }, SLOW);

  it('lists clients without secrets or hashes', async () => {
    const list = await admin(['client', 'list']);
    expect(list.stdout).toMatch(/life\s+confidential/);
    expect(list.stdout).not.toContain('sha256$');
    const listJson = await adminJson<Record<string, unknown>[]>(['client', 'list']);
    expect(JSON.stringify(listJson)).not.toMatch(/secret_hash|sha256\$|client_secret"/);
  }, SLOW);

  it('deletes', async () => {
    expect((await admin(['client', 'delete', 'life'])).code).toBe(0);
    const showDeleted = await admin(['client', 'show', 'life']);
    const deleteAgain = await admin(['client', 'delete', 'life']);
    expect(expectOneLineError(showDeleted)).toMatch(/no client with id "life"/);
    expect(expectOneLineError(deleteAgain)).toMatch(/no client/);
  }, SLOW);

  it('takes ids that start with a dash as arguments', async () => {
    await adminJson(['client', 'create', '--name', 'Dash', '--client-id', '-dash', '--grant', 'client_credentials', '--audience', 'https://api.example']);
    const shown = await adminJson(['client', 'show', '-dash']);
    expect(shown.client_id).toBe('-dash');
  }, SLOW);
});

describe('client resources (RFC 8707)', () => {
  it('registers, shows, lists, replaces and clears --resource URIs, refusing malformed ones', async () => {
    const comma = 'https://api.example/v1;a,b';
    await adminJson(['client', 'create', '--name', 'Agent', '--client-id', 'agent', '--grant', 'client_credentials',
      '--resource', 'https://mcp.example/mcp', '--resource', comma]);
    expect(await adminJson(['client', 'show', 'agent'])).toMatchObject({ audience: null, resources: ['https://mcp.example/mcp', comma] });
    expect((await admin(['client', 'show', 'agent'])).stdout).toMatch(/resources:\s+https:\/\/mcp\.example\/mcp https:\/\/api\.example\/v1;a,b/);
    const list = (await admin(['client', 'list'])).stdout;
    expect(list).toMatch(/RESOURCES/);
    expect(list).toMatch(/agent\s+confidential\s+admin\s+client_credentials\s+Agent\s+https:\/\/mcp\.example\/mcp/);

    const replaced = await adminJson(['client', 'update', 'agent', '--resource', 'urn:example:reports', '--audience', 'https://api.example']);
    expect(replaced).toMatchObject({ audience: 'https://api.example', resources: ['urn:example:reports'] });
    expect(await adminJson(['client', 'update', 'agent', '--resource', ''])).toMatchObject({ resources: [] });

    const [fragment, relative] = await Promise.all([
      admin(['client', 'update', 'agent', '--resource', 'https://mcp.example/mcp#x']),
      admin(['client', 'create', '--name', 'Rel', '--redirect-uri', 'https://rel.example/cb', '--resource', '/mcp']),
    ]);
    expect(expectOneLineError(fragment)).toMatch(/resource "https:\/\/mcp\.example\/mcp#x" must not have a fragment/);
    expect(expectOneLineError(relative)).toMatch(/resource "\/mcp" is not an absolute URI/);
  }, SLOW);
});

describe('users', () => {
  const pepper = ['--pepper-file', ''];
  beforeAll(() => {
    pepper[1] = pepperFile;
  }, SLOW);

  it('creates from stdin, shows, disables (ending sessions), enables, sets the password and deletes', async () => {
    const created = await adminJson(
      ['user', 'create', '--username', 'grace', '--email', 'grace@example.com', '--email-verified', '--name', 'Grace Hopper', '--password-stdin', ...pepper],
      { input: 'cobol forever 1959\n' },
    );
    expect(created).toMatchObject({ username: 'grace', email: 'grace@example.com', email_verified: true, name: 'Grace Hopper', disabled: false });
    expect(JSON.stringify(created)).not.toMatch(/pbkdf2|password/);

    const peppers = await importPeppers(PEPPER);
    const row = await storedUser('grace');
    expect((await verifyPassword('cobol forever 1959', row!.password_hash, peppers)).ok).toBe(true);

    // A client id may not be a user's id: it is the sub of that client's client-credentials tokens.
    const clash = await admin(['client', 'create', '--name', 'Clash', '--client-id', row!.id, '--grant', 'client_credentials', '--audience', 'https://api.example']);
    expect(expectOneLineError(clash)).toMatch(/is a user's id/);

    const byId = await adminJson(['user', 'show', row!.id]);
    const shown = await admin(['user', 'show', 'GRACE']);
    expect(byId.username).toBe('grace');
    expect(shown.stdout).toContain('grace@example.com (verified)');
    expect(shown.stdout).not.toContain('pbkdf2');

    const now = Math.floor(Date.now() / 1000);
    await withLocalDb(state, (db) =>
      db.prepare('INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .bind('session-of-grace', row!.id, now, now, now + 3600).run());
    const disabled = await adminJson(['user', 'disable', 'grace']);
    expect(disabled).toMatchObject({ disabled: true });
    const session = await withLocalDb(state, (db) =>
      db.prepare('SELECT ended_at FROM sessions WHERE id_hash = ?').bind('session-of-grace').first<{ ended_at: number | null }>());
    expect(session!.ended_at).not.toBeNull();
    expect((await storedUser('grace'))!.disabled).toBe(1);

    expect(await adminJson(['user', 'enable', 'grace'])).toMatchObject({ disabled: false });
    expect((await storedUser('grace'))!.disabled).toBe(0);

    const reset = await admin(['user', 'set-password', 'grace', '--password-stdin', ...pepper], { input: 'nanoseconds of wire\n' });
    expect(reset.code).toBe(0);
    const after = (await storedUser('grace'))!.password_hash;
    expect((await verifyPassword('nanoseconds of wire', after, peppers)).ok).toBe(true);
    expect((await verifyPassword('cobol forever 1959', after, peppers)).ok).toBe(false);

    const users = await admin(['user', 'list']);
    expect(users.stdout).toMatch(/grace\s+\S+\s+enabled\s+grace@example.com\s+Grace Hopper/);

    expect((await admin(['user', 'delete', 'grace'])).code).toBe(0);
    const gone = await storedUser('grace');
    const showGone = await admin(['user', 'show', 'grace']);
    expect(gone).toBeNull();
    expect(expectOneLineError(showGone)).toMatch(/no user/);
  }, SLOW);

  it('set-password ends the user\'s sessions, recorded or not, and revokes their refresh tokens (ASVS 3.3.3)', async () => {
    await adminJson(['user', 'create', '--username', 'hedy', '--password-stdin', ...pepper], { input: 'frequency hopping 1942\n' });
    const { id } = (await storedUser('hedy'))!;
    const now = Math.floor(Date.now() / 1000);
    await withLocalDb(state, (db) => db.batch([
      db.prepare('INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .bind('session-of-hedy', id, now - 60, now - 60, now + 3600),
      db.prepare(
        `INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, auth_time, created_at, expires_at,
           family_expires_at, access_token_jti, access_token_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind('refresh-of-hedy', 'family-of-hedy', 'some-client', id, 'openid offline_access', now - 60, now - 60, now + 3600, now + 86400, 'jti-of-hedy', now + 600),
    ]));
    const reset = await admin(['user', 'set-password', 'hedy', '--password-stdin', ...pepper], { input: 'spread spectrum 1942\n' });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('ended their sessions and revoked their refresh tokens');
    const after = await withLocalDb(state, (db) => db.batch([
      db.prepare('SELECT ended_at AS t FROM sessions WHERE id_hash = ?').bind('session-of-hedy'),
      db.prepare('SELECT revoked_at AS t FROM refresh_tokens WHERE token_hash = ?').bind('refresh-of-hedy'),
      db.prepare('SELECT sessions_ended_at AS t FROM users WHERE id = ?').bind(id),
    ]));
    const [session, refresh, marker] = after.map((r) => (r.results[0] as { t: number | null }).t);
    expect(session).not.toBeNull();
    expect(refresh).not.toBeNull();
    // Sessions whose row was never written end too: readSession compares their auth_time with this.
    expect(marker).toBeGreaterThanOrEqual(now);
  }, SLOW);

  it('user mfa show and reset: TOTP and recovery codes removed, sessions ended, mfa_reset_at set, audited', async () => {
    await adminJson(['user', 'create', '--username', 'radia', '--password-stdin', ...pepper], { input: 'spanning tree 1985\n' });
    const { id } = (await storedUser('radia'))!;
    const now = Math.floor(Date.now() / 1000);
    await withLocalDb(state, (db) => db.batch([
      db.prepare('INSERT INTO totp_secrets (user_id, secret, created_at) VALUES (?, ?, ?)').bind(id, '1.ciphertext', now - 60),
      ...['a', 'b', 'c'].map((h, i) =>
        db.prepare('INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES (?, ?, ?, ?)').bind(id, h, now - 60, i === 0 ? now : null)),
      db.prepare('INSERT INTO sessions (id_hash, user_id, auth_time, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .bind('session-of-radia', id, now - 60, now - 60, now + 3600),
    ]));
    expect(await adminJson(['user', 'mfa', 'show', 'radia'])).toEqual({
      id, username: 'radia', totp: { enabled: true, enabled_at: new Date((now - 60) * 1000).toISOString() }, recovery_codes_remaining: 2,
    });
    expect((await admin(['user', 'mfa', 'show', id])).stdout).toMatch(/totp\s+on since .*\nrecovery codes\s+2 unused/);
    expect(await adminJson(['user', 'mfa', 'reset', 'radia'])).toEqual({ id, username: 'radia', mfa_reset: true });
    const after = await withLocalDb(state, (db) => db.prepare(
      `SELECT mfa_reset_at, (SELECT COUNT(*) FROM totp_secrets WHERE user_id = ?1) + (SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1) AS left,
         (SELECT ended_at FROM sessions WHERE id_hash = 'session-of-radia') AS ended FROM users WHERE id = ?1`,
    ).bind(id).first<{ mfa_reset_at: number; left: number; ended: number | null }>());
    expect(after).toMatchObject({ left: 0 });
    expect(after!.mfa_reset_at).toBeGreaterThanOrEqual(now);
    expect(after!.ended).not.toBeNull();
    expect((await admin(['user', 'mfa', 'show', 'radia'])).stdout).toMatch(/totp\s+off\nrecovery codes\s+0 unused/);
    const audit = await adminJson<{ type: string; detail: string }[]>(['audit', '--user', 'radia', '--type', 'admin.user.mfa_reset']);
    expect(audit).toHaveLength(1);
    expect(expectOneLineError(await admin(['user', 'mfa', 'reset']))).toMatch(/takes 1 argument/);
    expect(expectOneLineError(await admin(['user', 'mfa', 'show', 'nobody']))).toMatch(/no user/);
  }, SLOW);

  it('never takes a password from argv, and needs stdin or a terminal', async () => {
    const [flag, inline, noTty] = await Promise.all([
      admin(['user', 'create', '--username', 'mallory', '--password', 'hunter2hunter2', ...pepper]),
      admin(['user', 'create', '--username', 'mallory', '--password=hunter2hunter2', ...pepper]),
      admin(['user', 'create', '--username', 'mallory', ...pepper]),
    ]);
    expect(expectOneLineError(flag)).toMatch(/never taken from the command line/);
    expect(expectOneLineError(inline)).toMatch(/never taken from the command line/);
    expect(expectOneLineError(noTty)).toMatch(/--password-stdin/);
    expect(await storedUser('mallory')).toBeNull();
  }, SLOW);

  it('refuses weak passwords with the policy reason', async () => {
    const [common, short, same] = await Promise.all([
      admin(['user', 'create', '--username', 'weak', '--password-stdin', ...pepper], { input: 'Password123\n' }),
      admin(['user', 'create', '--username', 'weak', '--password-stdin', ...pepper], { input: 'x7#k\n' }),
      admin(['user', 'create', '--username', 'weakling', '--password-stdin', ...pepper], { input: 'WEAKLING\n' }),
    ]);
    expect(expectOneLineError(common)).toMatch(/most commonly used/);
    expect(expectOneLineError(short)).toMatch(/at least 8 characters/);
    expect(expectOneLineError(same)).toMatch(/must not be based on the username/);
    expect(await storedUser('weak')).toBeNull();
  }, SLOW);

  it('refuses a taken username case-insensitively, and explains a missing pepper', async () => {
    await adminJson(['user', 'create', '--username', 'ada', '--password-stdin', ...pepper], { input: 'analytical engine\n' });
    const taken = await admin(['user', 'create', '--username', 'ADA', '--password-stdin', ...pepper], { input: 'analytical engine\n' });
    expect(expectOneLineError(taken)).toMatch(/already taken/);
    const fullwidth = await admin(['user', 'create', '--username', 'Ａｄａ', '--password-stdin', ...pepper], { input: 'analytical engine\n' });
    expect(expectOneLineError(fullwidth)).toMatch(/already taken/);
    // A project without .dev.vars (or .env): no local pepper, and the CLI says where one comes from.
    const bare = join(dir, 'bare-project');
    mkdirSync(bare);
    copyFileSync(join(ROOT, 'wrangler.toml'), join(bare, 'wrangler.toml'));
    const noPepper = await admin(['user', 'create', '--username', 'nopepper', '--password-stdin'], { cwd: bare, input: 'analytical engine\n' });
    expect(expectOneLineError(noPepper)).toBe('error: PASSWORD_PEPPER is not in .dev.vars: run npm run dev once to create it, or pass --pepper-file FILE');
    const nowhere = await runNode('scripts/admin.ts', ['client', 'list'], { cwd: dir });
    expect(expectOneLineError(nowhere)).toMatch(/no wrangler.toml here or above/);
    const remote = await runNode('scripts/admin.ts', ['user', 'create', '--username', 'r', '--password-stdin', '--remote'], { input: 'analytical engine\n' });
    expect(expectOneLineError(remote)).toMatch(/--remote needs the production PASSWORD_PEPPER/);
  }, SLOW);
});

describe('password prompt on a terminal', () => {
  // util-linux's script(1) gives the CLI a real terminal (Debian: bsdutils, an essential package).

  it('asks twice without echo and sets the password', async () => {
    const command = [process.execPath, join(ROOT, 'scripts/admin.ts'), 'user', 'set-password', 'ada', '--persist-to', state, '--pepper-file', pepperFile]
      .map((a) => `'${a}'`).join(' ');
    // script(1) gives the CLI a pseudo-terminal; answers are typed only once each prompt is shown.
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    let output = '';
    let answered = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      const prompts = (output.match(/password: /gi) ?? []).length;
      while (answered < prompts) {
        child.stdin.write('typed at a terminal\r');
        answered++;
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('New password: ');
    expect(output).toContain('Repeat password: ');
    expect(output).toContain('Set a new password for ada; ended their sessions');
    expect(output).not.toContain('typed at a terminal');
    const row = await storedUser('ada');
    expect((await verifyPassword('typed at a terminal', row!.password_hash, await importPeppers(PEPPER))).ok).toBe(true);
  }, SLOW);
});

describe('keys generate', () => {
  it('prints a private JWKS that the Worker imports (RS256 and ES256 by default)', async () => {
    const result = await runNode('scripts/admin.ts', ['keys', 'generate']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const keySet = await importKeySet(result.stdout);
    expect([...keySet.signing.keys()].sort()).toEqual(['ES256', 'RS256']);
    expect(keySet.publicJwks.keys).toHaveLength(2);
  }, SLOW);

  it('prints one key with --alg', async () => {
    const result = await runNode('scripts/admin.ts', ['keys', 'generate', '--alg', 'ES256']);
    const { keys } = JSON.parse(result.stdout) as { keys: { alg: string; kid: string; d?: string }[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ alg: 'ES256', kty: 'EC', crv: 'P-256' });
    expect(keys[0]!.d).toBeTypeOf('string');
    await importJWK(keys[0]!, 'ES256');
    expect(expectOneLineError(await runNode('scripts/admin.ts', ['keys', 'generate', '--alg', 'HS256']))).toMatch(/RS256, ES256/);
  }, SLOW);
});

describe('user passkey', () => {
  it('lists a user\'s passkeys (table and --json, never their keys) and deletes one, audited', async () => {
    await adminJson(['user', 'create', '--username', 'lovelace', '--password-stdin', '--pepper-file', pepperFile], { input: 'note g bernoulli 1843\n' });
    const { id } = (await storedUser('lovelace'))!;
    expect((await admin(['user', 'passkey', 'list', 'lovelace'])).stdout).toBe('lovelace has no passkeys.\n');
    await withLocalDb(state, (db) =>
      db.prepare(`INSERT INTO passkeys (credential_id, user_id, public_key, algorithm, sign_count, transports, aaguid, backup_eligible, backed_up, nickname, created_at)
                  VALUES (?, ?, 'pQECAyYgASFYIA', -7, 3, '["internal"]', ?, 1, 1, ?, 1700000000)`)
        .bind('cred-one', id, '0'.repeat(32), 'Laptop \u001b[31m').run());
    const listed = await adminJson<Record<string, unknown>[]>(['user', 'passkey', 'list', 'lovelace']);
    expect(listed).toEqual([{
      id: 'cred-one', nickname: 'Laptop \u001b[31m', algorithm: 'ES256', sign_count: 3, transports: ['internal'], aaguid: '0'.repeat(32),
      backup_eligible: true, backed_up: true, created_at: '2023-11-14T22:13:20Z', last_used_at: null,
    }]);
    const table = await admin(['user', 'passkey', 'list', id]);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NICKNAME\s+ALG\s+CREATED\s+LAST USED\s+SYNCED$/);
    expect(table.stdout).toMatch(/cred-one\s+Laptop \\x1B\[31m\s+ES256\s+2023-11-14T22:13:20Z\s+never\s+yes/);
    expect(table.stdout).not.toContain('pQECAyYgASFYIA');
    expect(expectOneLineError(await admin(['user', 'passkey', 'delete', 'lovelace', 'cred-two']))).toMatch(/has no passkey cred-two/);
    expect(await adminJson(['user', 'passkey', 'delete', 'lovelace', 'cred-one'])).toEqual({ id: 'cred-one', user_id: id, username: 'lovelace', deleted: true });
    expect(await adminJson(['user', 'passkey', 'list', 'lovelace'])).toEqual([]);
    const audit = await adminJson<{ type: string }[]>(['audit', '--type', 'admin.user.passkey-delete']);
    expect(audit).toHaveLength(1);
  }, SLOW);
});

describe('--via-wrangler (the shim used for --remote)', () => {
  it('round-trips the same data as the local binding, in both directions', async () => {
    const tricky = "O'Brien; DROP TABLE clients; -- ?";
    const viaShim = await adminJson(['client', 'create', '--name', tricky, '--client-id', 'shim', '--redirect-uri', 'https://shim.example/cb?x=1', '--via-wrangler']);
    const secret = viaShim.client_secret as string;
    expect(await verifyClientSecret(secret, (await storedClient('shim'))!.secret_hash!)).toBe(true);

    const shownLocal = await adminJson(['client', 'show', 'shim']);
    const shownShim = await adminJson(['client', 'show', 'shim', '--via-wrangler']);
    expect(shownLocal.client_name).toBe(tricky);
    expect(shownShim).toEqual(shownLocal);

    const listLocal = await adminJson(['client', 'list']);
    const listShim = await adminJson(['client', 'list', '--via-wrangler']);
    expect(listShim).toEqual(listLocal);

    const user = await adminJson(['user', 'create', '--username', 'shimuser', '--name', tricky, '--password-stdin', '--via-wrangler', '--pepper-file', pepperFile], { input: 'through the shim\n' });
    const row = await storedUser('shimuser');
    expect(user.id).toBe(row!.id);
    expect((await verifyPassword('through the shim', row!.password_hash, await importPeppers(PEPPER))).ok).toBe(true);

    // meta.changes through the shim: a delete that hits reports it, a second one reports "no client".
    expect((await admin(['client', 'delete', 'shim', '--via-wrangler'])).code).toBe(0);
    expect(expectOneLineError(await admin(['client', 'delete', 'shim', '--via-wrangler']))).toMatch(/no client/);
    expect(await storedClient('shim')).toBeNull();
  }, SLOW);
});

describe('audit', () => {
  it('lists the CLI changes with filters, without secrets', async () => {
    const all = await adminJson<{ type: string; client_id: string | null; user_id: string | null; detail: Record<string, unknown> }[]>(['audit', '--limit', '500']);
    const types = new Set(all.map((e) => e.type));
    for (const type of [
      'admin.client.create', 'admin.client.update', 'admin.client.add-redirect-uri', 'admin.client.rotate-secret',
      'admin.client.delete', 'admin.user.create', 'admin.user.disable', 'admin.user.enable', 'admin.user.set-password', 'admin.user.delete',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(JSON.stringify(all)).not.toMatch(/sha256\$|pbkdf2|client_secret"/);
    expect(all.every((e) => typeof e.detail.operator === 'string')).toBe(true);

    const life = await adminJson<{ type: string; client_id: string }[]>(['audit', '--client', 'life', '--since', '1h']);
    const byUser = await adminJson<{ type: string }[]>(['audit', '--user', 'ada', '--type', 'admin.user.create']);
    const oldest = await adminJson<unknown[]>(['audit', '--since', '2000-01-01', '--limit', '1']);
    const future = await adminJson<unknown[]>(['audit', '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    const human = await admin(['audit', '--client', 'life', '--limit', '2']);
    const [badSince, badLimit] = await Promise.all([admin(['audit', '--since', 'last tuesday']), admin(['audit', '--limit', '0'])]);
    expect(life.map((e) => e.type)).toEqual([
      'admin.client.delete', 'admin.client.rotate-secret', 'admin.client.add-redirect-uri', 'admin.client.update', 'admin.client.create',
    ]);
    expect(byUser).toHaveLength(1);
    expect(oldest).toHaveLength(1);
    expect(future).toEqual([]);
    expect(human.stdout.split('\n')[0]).toMatch(/^TIME\s+TYPE\s+OUTCOME\s+USER\s+CLIENT\s+DETAIL$/);
    expect(expectOneLineError(badSince)).toMatch(/ISO-8601/);
    expect(expectOneLineError(badLimit)).toMatch(/--limit/);
  }, SLOW);
});

describe('usage and errors', () => {
  it('prints usage for help and --help, and fails on unknown commands and options', async () => {
    const [help, dashHelp, bare, unknown, badOption, wrongArgs] = await Promise.all([
      runNode('scripts/admin.ts', ['help']),
      runNode('scripts/admin.ts', ['client', 'create', '--help']),
      runNode('scripts/admin.ts', []),
      runNode('scripts/admin.ts', ['client', 'frobnicate']),
      runNode('scripts/admin.ts', ['client', 'list', '--frob']),
      runNode('scripts/admin.ts', ['client', 'show']),
    ]);
    for (const r of [help, dashHelp, bare]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('client create --name NAME');
      expect(r.stdout).toContain('keys generate');
    }
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Usage:');
    expect(unknown.stderr.trimEnd().split('\n').pop()).toBe('error: unknown command: client frobnicate');
    expect(expectOneLineError(badOption)).toBe('error: unknown option --frob (see: npm run admin -- help)');
    expect(expectOneLineError(wrongArgs)).toBe('error: client show takes 1 argument: client show ID');
    expect(expectOneLineError(await runNode('scripts/admin.ts', ['client', 'list', '--name', 'x']))).toBe('error: client list does not take --name');
  }, SLOW);

  it('applies the migrations to a database without the schema first, through wrangler d1 execute too', async () => {
    const empty = join(dir, 'empty-state');
    const result = await runNode('scripts/admin.ts', ['client', 'list', '--via-wrangler', '--persist-to', empty]);
    expect(result.stderr).toMatch(/^Applied \d+ migrations? \(0001_initial\.sql.*\) to the local D1\.\n$/);
    expect(result.stdout).toBe('No clients.\n');
    expect(result.code).toBe(0);
  }, SLOW);
});
