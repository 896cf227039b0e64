import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../src/crypto/random.ts';
import { backfillUsernameKeys } from '../../src/store/username-match.ts';
import { replacePassword } from '../../src/store/cascades.ts';
import { findUserById, findUserByUsername, insertUser, updatePasswordHash, UsernameTakenError } from '../../src/store/users.ts';

const newUser = (username: string) => ({ username, email: null, emailVerified: false, name: null, passwordHash: 'x' });
const suffix = () => randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'q');

/** A row as it stands after migration 0006 when its username is not ASCII: no key yet. */
async function legacyRow(username: string): Promise<string> {
  const user = await insertUser(env.DB, newUser(`tmp-${suffix()}`));
  await env.DB.prepare('UPDATE users SET username = ?, username_key = NULL WHERE id = ?').bind(username, user.id).run();
  return user.id;
}

describe('username keys for rows older than migration 0006', () => {
  it('fills the key of a non-ASCII legacy row, after which its look-alikes are refused and find it', async () => {
    const name = `zoë-${suffix()}`;
    const id = await legacyRow(name.normalize('NFD'));
    await backfillUsernameKeys(env.DB);
    const key = await env.DB.prepare('SELECT username_key FROM users WHERE id = ?').bind(id).first<string>('username_key');
    expect(key).toBe(name.normalize('NFC'));
    await expect(insertUser(env.DB, newUser(name.toUpperCase()))).rejects.toThrow(UsernameTakenError);
    expect((await findUserByUsername(env.DB, name.toUpperCase()))?.id).toBe(id);
  });

  it('leaves the key empty when another row already has it, and finds each row by its exact form', async () => {
    const tail = suffix();
    const keyed = await insertUser(env.DB, newUser(`dan-${tail}`));
    const legacyName = `Ｄａｎ-${tail}`;
    const legacyId = await legacyRow(legacyName);
    await backfillUsernameKeys(env.DB);
    expect(await env.DB.prepare('SELECT username_key FROM users WHERE id = ?').bind(legacyId).first('username_key')).toBeNull();
    expect((await findUserByUsername(env.DB, legacyName))?.id).toBe(legacyId);
    expect((await findUserByUsername(env.DB, `DAN-${tail}`))?.id).toBe(keyed.id);
  });
});

describe("the sign-in's rehash", () => {
  it('replaces only the hash the sign-in verified, never a new password stored since', async () => {
    const user = await insertUser(env.DB, newUser(`rehash-${suffix()}`));
    expect(await updatePasswordHash(env.DB, user.id, 'x', 'rehashed')).toBe(true);
    expect((await findUserById(env.DB, user.id))?.passwordHash).toBe('rehashed');
    // An administrator sets a new password while a sign-in with the old one (read from a replica) rehashes it.
    await replacePassword(env.DB, user.id, 'admin-set');
    expect(await updatePasswordHash(env.DB, user.id, 'rehashed', 'old-password-rehashed')).toBe(false);
    expect((await findUserById(env.DB, user.id))?.passwordHash).toBe('admin-set');
  });
});
