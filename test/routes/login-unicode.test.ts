import { env } from 'cloudflare:workers';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_CHARS } from '../../src/constants.ts';
import { hashPassword, verifyPassword } from '../../src/crypto/password.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { checkPasswordPolicy } from '../../src/policy/password.ts';
import { replacePassword } from '../../src/store/cascades.ts';
import { findUserById, insertUser, UsernameTakenError } from '../../src/store/users.ts';
import { createClient, createUser, formWithEnv, peppers } from '../helpers/fixtures.ts';
import { loginTx, postLogin } from '../helpers/flow.ts';

/** What the admin CLI does for `user set-password`: the policy, then the hash, then the store. */
async function setPassword(userId: string, username: string, password: string): Promise<void> {
  expect(checkPasswordPolicy(password, { username })).toBeNull();
  expect(await replacePassword(env.DB, userId, await hashPassword(password, await peppers()))).toBe(true);
}

/** A hash as the code before NFKC normalisation made it: the raw UTF-8 of the password, peppered, then PBKDF2. */
async function preNfkcHash(password: string): Promise<string> {
  const [id, secret] = env.PASSWORD_PEPPER.split(',')[0]!.split(':') as [string, string];
  const pepper = await crypto.subtle.importKey('raw', base64url.decode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const peppered = await crypto.subtle.sign('HMAC', pepper, new TextEncoder().encode(password));
  const material = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 100_000 }, material, 256);
  return `$pbkdf2-sha256$i=100000,p=${id}$${base64url.encode(salt)}$${base64url.encode(new Uint8Array(bits))}`;
}

const fullwidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0));

describe('Unicode passwords', () => {
  it('a password of 600 astral-plane characters (over 1,024 UTF-16 units) can be set and signs in', async () => {
    const client = await createClient();
    const user = await createUser();
    const password = Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x1f300 + ((i * 37) % 0x2ff))).join('');
    expect(password.length).toBeGreaterThan(1024);
    expect([...password].length).toBeLessThanOrEqual(PASSWORD_MAX_CHARS);
    await setPassword(user.id, user.username, password);
    expect((await postLogin(await loginTx(client), user.username, password)).status).toBe(303);
  });

  it('a password set in one Unicode form signs in when typed in another NFKC-equivalent form', async () => {
    const client = await createClient();
    const user = await createUser();
    const composed = `Crème brûlée façade ${randomToken(4)}`.normalize('NFC');
    await setPassword(user.id, user.username, composed);
    expect((await postLogin(await loginTx(client), user.username, composed.normalize('NFD'))).status).toBe(303);
    expect((await postLogin(await loginTx(client), user.username, fullwidth(composed))).status).toBe(303);
    expect((await postLogin(await loginTx(client), user.username, `${composed}x`)).status).toBe(200);
  });

  it('a hash made before normalisation from a non-NFKC password still verifies, and is replaced by the NFKC one', async () => {
    const client = await createClient();
    const user = await createUser();
    const raw = `ｗｉｄｅ ﬁsh ${randomToken(4)}`;
    expect(raw.normalize('NFKC')).not.toBe(raw);
    const legacy = await preNfkcHash(raw);
    expect(await verifyPassword(raw, legacy, await peppers())).toEqual({ ok: true, needsRehash: true });
    await replacePassword(env.DB, user.id, legacy);
    const tx = await loginTx(client);
    const res = await formWithEnv({}, '/login', { tx, username: user.username, password: raw });
    expect(res.status).toBe(303);
    const rehashed = (await findUserById(env.DB, user.id))!.passwordHash;
    expect(rehashed).not.toBe(legacy);
    expect(await verifyPassword(raw.normalize('NFKC'), rehashed, await peppers())).toEqual({ ok: true, needsRehash: false });
  });
});

describe('Unicode usernames', () => {
  it('refuses a fullwidth or case look-alike of an existing username at creation', async () => {
    const user = await createUser({ username: `alice-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x')}` });
    const base = { email: null, emailVerified: false, name: null, passwordHash: (await findUserById(env.DB, user.id))!.passwordHash };
    await expect(insertUser(env.DB, { ...base, username: fullwidth(user.username) })).rejects.toThrow(UsernameTakenError);
    await expect(insertUser(env.DB, { ...base, username: fullwidth(user.username.toUpperCase()) })).rejects.toThrow(UsernameTakenError);
    await expect(insertUser(env.DB, { ...base, username: user.username.toUpperCase() })).rejects.toThrow(UsernameTakenError);
  });

  it('finds the user at sign-in whatever NFKC or case form of the username is typed', async () => {
    const client = await createClient();
    const user = await createUser({ username: `Bob-${randomToken(4).replace(/[^A-Za-z0-9]/g, 'x')}` });
    expect((await postLogin(await loginTx(client), fullwidth(user.username), user.password)).status).toBe(303);
    expect((await postLogin(await loginTx(client), fullwidth(user.username.toLowerCase()), user.password)).status).toBe(303);
  });

  it('counts every form of a username against the same account limit', async () => {
    const client = await createClient();
    const user = await createUser();
    for (let i = 0; i < 5; i++) expect((await postLogin(await loginTx(client), i % 2 ? user.username : fullwidth(user.username), 'wrong-password')).status).toBe(200);
    expect((await postLogin(await loginTx(client), fullwidth(user.username.toUpperCase()), user.password)).status).toBe(429);
  });

  it('still finds a row stored before normalisation by its exact form', async () => {
    const client = await createClient();
    const user = await createUser();
    const legacyName = `ｃａｒｏｌ-${randomToken(4).replace(/[^A-Za-z0-9]/g, 'x')}`;
    await env.DB.prepare('UPDATE users SET username = ?, username_key = NULL WHERE id = ?').bind(legacyName, user.id).run();
    expect((await postLogin(await loginTx(client), legacyName, user.password)).status).toBe(303);
  });
});
