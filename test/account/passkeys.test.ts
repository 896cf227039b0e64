// /account's passkeys section: register (WebAuthn §7.1), list, rename, delete; only the signed-in user's, audited.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { listUserPasskeys } from '../../src/store/passkeys.ts';
import { getAccount, postAccount, signInToAccount } from '../helpers/account.ts';
import { outboxFor } from '../helpers/mail.ts';
import { authorizeUrl, call, createClient, createUser, form, loginTx, postLogin } from '../helpers/fixtures.ts';
import { expectRedirect } from '../helpers/flow.ts';
import { addPasskey, cbor, type Cbor, FLAGS, postPasskeyLogin, SoftAuthenticator, webauthnBlock, type Knobs } from '../helpers/webauthn.ts';

async function accountBlock(cookie: string) {
  const page = await getAccount(cookie);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('data-webauthn="create"');
  return { html, ...webauthnBlock(html) };
}

async function register(cookie: string, authenticator: SoftAuthenticator, knobs: Knobs = {}, nickname = 'My laptop'): Promise<Response> {
  const block = await accountBlock(cookie);
  const credential = await authenticator.register(block.challenge, knobs);
  return postAccount(cookie, '/account/passkeys/register', { challenge: block.sealed!, nickname, credential });
}

async function auditTypes(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT type FROM audit_events WHERE user_id = ? ORDER BY id').bind(userId).all<{ type: string }>();
  return results.map((r) => r.type);
}

describe('/account passkeys', () => {
  it('registers a passkey, lists it, excludes it from the next registration, then signs in with it and no password', async () => {
    const user = await createUser();
    const cookie = await signInToAccount(user);
    const authenticator = await SoftAuthenticator.create();
    const res = await register(cookie, authenticator);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/account#passkeys');
    const [stored] = await listUserPasskeys(env.DB, user.id);
    // Issue 14 flow 6: a new passkey mails a security notice.
    await expect.poll(async () => (await outboxFor(`${user.username}@example.com`)).map((m) => m.subject)).toEqual([
      expect.stringContaining('Your passkeys were changed'),
    ]);
    expect(stored).toMatchObject({ credentialId: authenticator.credentialId, nickname: 'My laptop', algorithm: -7, transports: ['internal'], backupEligible: true, backedUp: false, aaguid: '0'.repeat(32), lastUsedAt: null });
    // From now on the passkey is this user's second factor: the next sign-in to /account asks for it.
    const again = await accountBlock(await signInToAccount(user, authenticator));
    expect(again.html).toContain('My laptop');
    expect(again.credentials).toEqual([authenticator.credentialId]);
    const client = await createClient();
    const login = await (await call(authorizeUrl(client))).text();
    expectRedirect(await postPasskeyLogin(login, authenticator), client, 303);
    await expect.poll(() => auditTypes(user.id)).toContain('passkey.registered');
  });

  it('registers EdDSA and RS256 keys too', async () => {
    const user = await createUser();
    let cookie = await signInToAccount(user);
    for (const alg of ['EdDSA', 'RS256'] as const) {
      const authenticator = await SoftAuthenticator.create(alg);
      expect((await register(cookie, authenticator)).status).toBe(303);
      // The new passkey is now the second factor the account page asks of this session's password sign-in.
      cookie = await signInToAccount(user, authenticator);
      const client = await createClient();
      expectRedirect(await postPasskeyLogin(await (await call(authorizeUrl(client))).text(), authenticator), client, 303);
    }
    expect((await listUserPasskeys(env.DB, user.id)).map((p) => p.algorithm).sort()).toEqual([-257, -8]);
  });

  it.each([
    ['a wrong origin', { origin: 'https://evil.example' }],
    ['a wrong RP ID hash', { rpId: 'evil.example' }],
    ['an assertion answer (type webauthn.get)', { type: 'webauthn.get' }],
    ['no user verification', { flags: FLAGS.UP | FLAGS.AT }],
  ])('refuses a registration with %s', async (_name, knobs) => {
    const user = await createUser();
    const cookie = await signInToAccount(user);
    const res = await register(cookie, await SoftAuthenticator.create(), knobs);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('The passkey was not added.');
    expect(await listUserPasskeys(env.DB, user.id)).toEqual([]);
  });

  it('refuses an algorithm it does not verify (ES384), a replayed registration, and a challenge from another session', async () => {
    const user = await createUser();
    const cookie = await signInToAccount(user);
    const es384 = (await SoftAuthenticator.create()).withCoseKey(cbor(new Map<Cbor, Cbor>([[1, 2], [3, -35], [-1, 2], [-2, new Uint8Array(48)], [-3, new Uint8Array(48)]])));
    expect((await register(cookie, es384)).status).toBe(400);
    const authenticator = await SoftAuthenticator.create();
    const block = await accountBlock(cookie);
    const body = { challenge: block.sealed!, credential: await authenticator.register(block.challenge) };
    expect((await form('/account/passkeys/register', body, { Cookie: cookie })).status).toBe(303);
    await env.DB.prepare('DELETE FROM passkeys WHERE user_id = ?').bind(user.id).run();
    expect((await form('/account/passkeys/register', body, { Cookie: cookie })).status).toBe(400);
    const otherCookie = await signInToAccount(user);
    expect((await form('/account/passkeys/register', { ...body, credential: await authenticator.register(block.challenge) }, { Cookie: otherCookie })).status).toBe(400);
    expect(await listUserPasskeys(env.DB, user.id)).toEqual([]);
  });

  it("renames and deletes only the signed-in user's passkeys", async () => {
    const [user, other] = [await createUser(), await createUser()];
    const [mine, theirs] = [await SoftAuthenticator.create(), await SoftAuthenticator.create()];
    await addPasskey(user.id, mine);
    await addPasskey(other.id, theirs);
    const cookie = await signInToAccount(user, mine);
    const post = (path: string, body: Record<string, string>) => form(`/account/passkeys/${path}`, body, { Cookie: cookie });
    expect((await post('rename', { id: theirs.credentialId, nickname: 'stolen' })).status).toBe(400);
    expect((await post('delete', { id: theirs.credentialId })).status).toBe(400);
    expect((await listUserPasskeys(env.DB, other.id))[0]!.nickname).toBe('Test passkey');
    expect((await post('rename', { id: mine.credentialId, nickname: 'Phone <b>' })).status).toBe(303);
    expect(await (await getAccount(cookie)).text()).toContain('Phone &lt;b&gt;');
    expect((await post('delete', { id: mine.credentialId })).status).toBe(303);
    expect(await listUserPasskeys(env.DB, user.id)).toEqual([]);
    await expect.poll(() => auditTypes(user.id)).toEqual(expect.arrayContaining(['passkey.renamed', 'passkey.deleted']));
  });

  it("keeps a passwordless account's last passkey, and refuses its password sign-in like a wrong password", async () => {
    const user = await createUser();
    const authenticator = await SoftAuthenticator.create();
    await addPasskey(user.id, authenticator);
    const cookie = await signInToAccount(user, authenticator);
    await env.DB.prepare("UPDATE users SET password_hash = '' WHERE id = ?").bind(user.id).run();
    expect((await form('/account/passkeys/delete', { id: authenticator.credentialId }, { Cookie: cookie })).status).toBe(400);
    expect(await listUserPasskeys(env.DB, user.id)).toHaveLength(1);
    const res = await postLogin(await loginTx(await createClient()), user.username, '');
    expect(await res.text()).toContain('Invalid username or password.');
    const typed = await postLogin(await loginTx(await createClient()), user.username, user.password);
    expect(await typed.text()).toContain('Invalid username or password.');
  });

  it('answers hostile forms with a page, never a 500: missing or forged fields, oversized values, no session', async () => {
    const user = await createUser();
    const authenticator = await SoftAuthenticator.create();
    await addPasskey(user.id, authenticator);
    const cookie = await signInToAccount(user, authenticator);
    const block = await accountBlock(cookie);
    const post = (path: string, body: Record<string, string>, headers: Record<string, string> = { Cookie: cookie }) => form(`/account/passkeys/${path}`, body, headers);
    const bodies: Record<string, string>[] = [{}, { challenge: block.sealed! }, { challenge: 'x.y.z', credential: await authenticator.register(block.challenge) }, { challenge: block.sealed!, credential: '{"clientDataJSON":1}' }];
    for (const body of bodies) {
      const res = await post('register', body);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/at \w+ \(|Error:/);
    }
    expect((await post('rename', { id: authenticator.credentialId, nickname: '   ' })).status).toBe(400);
    expect((await post('rename', { id: authenticator.credentialId, nickname: 'n'.repeat(5000) })).status).toBe(303);
    expect((await listUserPasskeys(env.DB, user.id))[0]!.nickname).toBe('n'.repeat(64));
    expect((await post('delete', {})).status).toBe(400);
    expect((await post('delete', { id: authenticator.credentialId }, {})).status).toBe(303);
    expect((await post('delete', { id: authenticator.credentialId }, { Cookie: cookie, Origin: 'https://evil.example' })).status).toBe(403);
    expect(await listUserPasskeys(env.DB, user.id)).toHaveLength(1);
  });
});
