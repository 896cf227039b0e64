// The admin CLI's mail commands (mail list, user send-reset, send-verification, verify-email, require-password-change)
// against a throwaway local D1: mail goes to the dev outbox, which `mail list --json` prints.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { insertUser } from '../../src/store/users.ts';
import { applyMigrations, expectOneLineError, makeTempDir, removeDir, runNode, withLocalDb, type RunResult } from './cli-harness.ts';

let dir: string;
let state: string;
const SLOW = 300_000;

interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  sentAt: string;
}

function admin(args: string[]): Promise<RunResult> {
  return runNode('scripts/admin.ts', [...args, '--persist-to', state]);
}

async function adminJson<T>(args: string[]): Promise<T> {
  const result = await admin([...args, '--json']);
  expect(result.stderr, result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function userRow(username: string) {
  return withLocalDb(state, (db) =>
    db.prepare('SELECT id, email_verified, password_change_required FROM users WHERE username = ?').bind(username)
      .first<{ id: string; email_verified: number; password_change_required: number }>());
}

beforeAll(async () => {
  dir = makeTempDir('cli-mail');
  state = join(dir, 'state');
  await applyMigrations(state);
  await withLocalDb(state, async (db) => {
    for (const [username, email] of [['ada', 'ada@example.com'], ['alan', 'alan@example.com'], ['nomail', null]] as const) {
      await insertUser(db, { username, email, emailVerified: false, name: null, passwordHash: 'unused' });
    }
  });
}, SLOW);

afterAll(() => removeDir(dir));

describe('mail commands (dev outbox)', () => {
  it('user send-reset mails a single-use reset link, stored only as its hash; mail list --json shows it', async () => {
    expect(await adminJson(['user', 'send-reset', 'ada'])).toMatchObject({ username: 'ada', to: 'ada@example.com', sent: true, transport: 'outbox' });
    const [mail] = await adminJson<Mail[]>(['mail', 'list']);
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: expect.stringContaining('Reset your password') });
    expect(Object.keys(mail!).sort()).toEqual(['html', 'id', 'links', 'sentAt', 'subject', 'text', 'to']);
    const link = new URL(mail!.links.find((l) => l.includes('/password/reset'))!);
    expect(link.origin).toBe('http://localhost:8787');
    const token = link.searchParams.get('token')!;
    const stored = await withLocalDb(state, (db) => db.prepare('SELECT token_hash, purpose FROM email_tokens WHERE token_hash = ?').bind(token).first());
    expect(stored).toBeNull();
    const hashed = await withLocalDb(state, async (db) => db.prepare('SELECT purpose FROM email_tokens WHERE token_hash = ?').bind(await digestToken(token)).first());
    expect(hashed).toEqual({ purpose: 'reset' });
  }, SLOW);

  it('user send-verification mails a link and a code; mail list --to filters, newest first', async () => {
    await adminJson(['user', 'send-verification', 'alan']);
    const mails = await adminJson<Mail[]>(['mail', 'list', '--to', 'alan@example.com']);
    expect(mails.map((m) => m.to)).toEqual(['alan@example.com']);
    expect(mails[0]!.links.some((l) => l.includes('/email/verify?token='))).toBe(true);
    expect(mails[0]!.text).toMatch(/Or enter this code: \d{6}/);
    await adminJson(['user', 'send-verification', 'ada']);
    const all = await adminJson<Mail[]>(['mail', 'list']);
    expect(all.map((m) => m.to)).toEqual(['ada@example.com', 'alan@example.com', 'ada@example.com']);
    const human = await admin(['mail', 'list', '--to', 'alan@example.com']);
    expect(human.stdout).toContain('/email/verify?token=');
  }, SLOW);

  it('user verify-email and user require-password-change set their flags', async () => {
    expect(await adminJson(['user', 'verify-email', 'alan'])).toMatchObject({ email_verified: true });
    expect(await adminJson(['user', 'require-password-change', 'alan'])).toMatchObject({ password_change_required: true });
    expect(await userRow('alan')).toMatchObject({ email_verified: 1, password_change_required: 1 });
  }, SLOW);

  it('refuses a user without an address, and an unknown user, with one line', async () => {
    expectOneLineError(await admin(['user', 'send-reset', 'nomail']));
    expectOneLineError(await admin(['user', 'verify-email', 'nomail']));
    expectOneLineError(await admin(['user', 'send-verification', 'nobody']));
  }, SLOW);
});
