// The admin CLI's `user invite` through `npm run -s admin`, against a throwaway local D1: the invite is mailed to
// the dev outbox, printed (dev), stored only as its hash, and replaced by a newer one to the same address.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../../src/crypto/digest.ts';
import { applyMigrations, expectOneLineError, makeTempDir, removeDir, runAdminViaNpm, withLocalDb } from './cli-harness.ts';

let dir: string;
let state: string;
const SLOW = 300_000;

const admin = (args: string[]) => runAdminViaNpm([...args, '--persist-to', state]);
const inviteRows = () => withLocalDb(state, (db) => db.prepare('SELECT token_hash, email, expires_at - created_at AS ttl FROM invites').all<{ token_hash: string; email: string; ttl: number }>());

beforeAll(async () => {
  dir = makeTempDir('cli-invite');
  state = join(dir, 'state');
  await applyMigrations(state);
}, SLOW);

afterAll(() => removeDir(dir));

describe('user invite', () => {
  it('--json: mails a single-use link, prints it locally, stores only its hash for 7 days', async () => {
    const result = await admin(['user', 'invite', '--email', 'grace@example.com', '--json']);
    expect(result.stderr, result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { email: string; sent: boolean; transport: string; link: string; expires_at: string };
    expect(out).toMatchObject({ email: 'grace@example.com', sent: true, transport: 'outbox' });
    const link = new URL(out.link);
    expect(link.pathname).toBe('/signup');
    const token = link.searchParams.get('invite')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { results } = await inviteRows();
    expect(results).toEqual([{ token_hash: await digestToken(token), email: 'grace@example.com', ttl: 7 * 86_400 }]);
    const mails = JSON.parse((await admin(['mail', 'list', '--to', 'grace@example.com', '--json'])).stdout) as { subject: string; links: string[] }[];
    expect(mails[0]!.subject).toContain('You are invited');
    expect(mails[0]!.links).toContain(out.link);
    const audit = await withLocalDb(state, (db) => db.prepare("SELECT detail FROM audit_events WHERE type = 'admin.user.invite'").first<{ detail: string }>());
    expect(audit!.detail).not.toContain(token);
  }, SLOW);

  it('text output prints the link; a newer invite to the address replaces the older one', async () => {
    const result = await admin(['user', 'invite', '--email', 'Grace@example.com']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sent an invite to Grace@example\.com \(outbox\)/);
    expect(result.stdout).toMatch(/Link \(dev\): http:\/\/localhost:8787\/signup\?invite=[A-Za-z0-9_-]{43}/);
    expect((await inviteRows()).results).toHaveLength(1);
  }, SLOW);

  it('refuses a missing or malformed address with one line', async () => {
    expectOneLineError(await admin(['user', 'invite']));
    expect(expectOneLineError(await admin(['user', 'invite', '--email', 'not an address']))).toContain('--email');
  }, SLOW);
});
