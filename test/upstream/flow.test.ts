// The upstream sign-in end to end inside workerd, against test doubles of third-party providers: the journey,
// JIT accounts, links by (issuer, sub), and every hostile answer the issue names.
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { importDataKeys } from '../../src/crypto/data-key.ts';
import { mintInvite } from '../../src/accounts/invites.ts';
import { randomToken } from '../../src/crypto/random.ts';
import { insertProvider } from '../../src/store/upstream-providers.ts';
import { clearProviderNames } from '../../src/store/upstream-names.ts';
import { sealClientSecret } from '../../src/upstream/secret.ts';
import { authorizeUrl, callWithEnv, createClient, createUser, exchange, type TestClient } from '../helpers/fixtures.ts';
import { addProvider, flowCookieOf, OPEN, startFromLogin, upstreamCallback } from '../helpers/upstream.ts';
import { installUpstreams, type OpDouble } from '../helpers/upstream-double.ts';

let ops: Map<string, OpDouble>;
let client: TestClient;

const cookieOf = flowCookieOf;
const start = (provider: string, overrides: Record<string, string> = {}) => startFromLogin(client, provider, ops, overrides);
const callback = upstreamCallback;

async function signInVia(provider: string, overrides: Record<string, string> = OPEN): Promise<Response> {
  const { cookie, state } = await start(provider, overrides);
  return callback(provider, cookie, { code: 'c1', state }, overrides);
}

async function subjectOf(res: Response): Promise<Record<string, unknown>> {
  // 302: the callback is a GET, and finish answers a GET with 302 (RFC 6749 §4.1.2).
  expect(res.status).toBe(302);
  const code = new URL(res.headers.get('Location')!).searchParams.get('code')!;
  const tokens = await (await exchange(client, code)).json<{ id_token: string; access_token: string }>();
  const idToken = JSON.parse(atob(tokens.id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  // OIDC Core §5.4: profile and email claims come from userinfo; idp and amr are the id_token's.
  const info = await (await callWithEnv({}, '/userinfo', { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json<Record<string, unknown>>();
  return { ...info, ...idToken };
}

const suffix = randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x');
const [OP1, OP2, GH] = [`https://op1-${suffix}.example`, `https://op2-${suffix}.example`, `https://gh-${suffix}.example`];
const [P1, P2, PG] = [`op1${suffix}`, `op2${suffix}`, `gh${suffix}`];

beforeAll(async () => {
  await addProvider(P1, 'oidc', OP1, { trustEmail: true });
  await addProvider(P2, 'oidc', OP2);
  await addProvider(PG, 'github', GH, { trustEmail: true });
  clearProviderNames();
});
beforeEach(async () => {
  ops = installUpstreams([OP1, OP2, GH]);
  client = await createClient();
});
afterAll(() => vi.unstubAllGlobals());

describe('upstream sign-in', () => {
  it('creates an account just in time (SIGNUP=open), then signs the same (issuer, sub) into it next time', async () => {
    ops.get(new URL(OP1).origin)!.claims = { sub: `s-${suffix}`, email: `new-${suffix}@example.org`, email_verified: true, name: 'New Person', amr: ['pwd', 'mfa', 'idp:evil'] };
    const first = await subjectOf(await signInVia(P1));
    expect(first).toMatchObject({ idp: P1, email: `new-${suffix}@example.org`, email_verified: true, name: 'New Person', amr: ['pwd', 'mfa'] });
    const again = await subjectOf(await signInVia(P1));
    expect(again.sub).toBe(first.sub);
  });

  it('keeps no upstream tokens unless the provider keeps them, and then only encrypted', async () => {
    ops.get(new URL(OP1).origin)!.claims = { sub: `kt-${suffix}` };
    await subjectOf(await signInVia(P1));
    const row = () => env.DB.prepare('SELECT tokens FROM upstream_links WHERE subject = ?').bind(`kt-${suffix}`).first<string | null>('tokens');
    expect(await row()).toBeNull();
    await env.DB.prepare('UPDATE upstream_providers SET keep_tokens = 1 WHERE name = ?').bind(P1).run();
    try {
      await subjectOf(await signInVia(P1));
      const stored = await row();
      expect(stored).toMatch(/^[a-z0-9]+\./);
      expect(stored).not.toContain('"access_token"');
    } finally {
      await env.DB.prepare('UPDATE upstream_providers SET keep_tokens = 0 WHERE name = ?').bind(P1).run();
    }
  });

  it('refuses a new account when sign-up is closed, back on the sign-in page', async () => {
    ops.get(new URL(OP1).origin)!.claims = { sub: `closed-${suffix}` };
    const res = await signInVia(P1, {});
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('new accounts cannot be created here');
  });

  it('under SIGNUP=invite, creates the account only for a trusted, verified email that holds a live invite, and uses it up', async () => {
    const INVITE = { SIGNUP: 'invite' };
    const address = `invited-${suffix}@example.org`;
    await mintInvite(env.DB, address, { now: Math.floor(Date.now() / 1000), issuer: 'https://id.example.test', branding: { productName: 'edge-oidc', accentColor: '#2563eb' } });
    // An untrusted provider states the address unverified: the invite is not enough, and it is kept.
    ops.get(new URL(OP2).origin)!.claims = { sub: `inv0-${suffix}`, email: address, email_verified: true };
    expect(await (await signInVia(P2, INVITE)).text()).toContain('new accounts cannot be created here');
    ops.get(new URL(OP1).origin)!.claims = { sub: `inv1-${suffix}`, email: address, email_verified: true };
    expect(await subjectOf(await signInVia(P1, INVITE))).toMatchObject({ idp: P1, email: address, email_verified: true });
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM invites WHERE email = ?').bind(address).first<number>('n')).toBe(0);
    // Used once: another identity with the same address, or one without an invite, gets no account.
    ops.get(new URL(OP1).origin)!.claims = { sub: `inv2-${suffix}`, email: address, email_verified: true };
    expect(await (await signInVia(P1, INVITE)).text()).toContain('An account with this email address already exists');
    ops.get(new URL(OP1).origin)!.claims = { sub: `inv3-${suffix}`, email: `uninvited-${suffix}@example.org`, email_verified: true };
    expect(await (await signInVia(P1, INVITE)).text()).toContain('new accounts cannot be created here');
  });

  it('treats the same sub from two issuers as two accounts, and an untrusted provider\'s email as unverified', async () => {
    for (const op of [OP1, OP2]) ops.get(new URL(op).origin)!.claims = { sub: `same-${suffix}`, email: `same-${suffix}@example.org`, email_verified: true };
    const one = await subjectOf(await signInVia(P1));
    const two = await subjectOf(await signInVia(P2));
    expect(one.sub).not.toBe(two.sub);
    expect(two).toMatchObject({ idp: P2, email_verified: false });
    expect(two.amr).toBeUndefined();
  });

  it('never links by email: a verified collision asks for proof, an unverified one gets its own account', async () => {
    const user = await createUser({ email: `taken-${suffix}@example.org` });
    ops.get(new URL(OP1).origin)!.claims = { sub: `col1-${suffix}`, email: `taken-${suffix}@example.org`, email_verified: true };
    const refused = await signInVia(P1);
    expect(await refused.text()).toContain('An account with this email address already exists');
    ops.get(new URL(OP2).origin)!.claims = { sub: `col2-${suffix}`, email: `taken-${suffix}@example.org`, email_verified: true };
    expect((await subjectOf(await signInVia(P2))).sub).not.toBe(user.id);
  });

  it('signs in with the GitHub double: numeric id as sub, the primary verified email', async () => {
    const gh = ops.get(new URL(GH).origin)!;
    gh.githubUser = { id: 4242, login: 'octo-cat', name: 'Octo', avatar_url: 'https://avatars.example/u/4242' };
    gh.githubEmails = [{ email: 'other@example.org', primary: false, verified: true }, { email: `octo-${suffix}@example.org`, primary: true, verified: true }];
    const claims = await subjectOf(await signInVia(PG));
    expect(claims).toMatchObject({ idp: PG, email: `octo-${suffix}@example.org`, email_verified: true, preferred_username: 'octo-cat' });
  });
});

describe('Microsoft multi-tenant issuer', () => {
  const MS = 'https://login.microsoftonline.com';
  const TID = '9188040d-6c67-4c5b-b112-36a304b66dad';

  it("validates iss against the token's own tid, and refuses an iss of another tenant", async () => {
    const name = `ms${suffix}`;
    await insertProvider(env.DB, {
      name, kind: 'microsoft', issuer: `${MS}/common/v2.0`, tenant: 'common', clientId: 'ms-client',
      clientSecret: await sealClientSecret(await importDataKeys(env.DATA_ENCRYPTION_KEY!), name, 's'), scopes: ['openid', 'email'],
      trustEmail: false, allowedDomains: [], enabled: true, keepTokens: false, createdAt: 1, updatedAt: 1,
    });
    clearProviderNames();
    ops = installUpstreams([OP1, OP2, GH, `${MS}/{tenantid}/v2.0`]);
    const ms = ops.get(MS)!;
    ms.claims = { iss: `${MS}/${TID}/v2.0`, tid: TID, sub: `ms-${suffix}` };
    expect((await subjectOf(await signInVia(name))).idp).toBe(name);
    ms.claims = { iss: `${MS}/00000000-0000-0000-0000-000000000001/v2.0`, tid: TID, sub: `ms-${suffix}` };
    const f = await start(name, OPEN);
    const res = await callback(name, f.cookie, { code: 'c', state: f.state });
    expect(res.status).toBe(400);
  });
});

describe('idp_hint', () => {
  it('goes straight to the named enabled provider; an unknown name shows the sign-in page', async () => {
    const direct = await callWithEnv(OPEN, authorizeUrl(client, { idp_hint: P1 }));
    expect(direct.status).toBe(303);
    expect(new URL(direct.headers.get('Location')!).origin).toBe(new URL(OP1).origin);
    expect(cookieOf(direct)).toContain('edge_oidc_upstream=');
    const unknown = await callWithEnv(OPEN, authorizeUrl(client, { idp_hint: 'nope' }));
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain('name="password"');
  });
});

describe('hostile upstream answers', () => {
  const rejected = async (res: Response) => {
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not pass our checks');
  };

  it('refuses a replayed state, a missing cookie and another provider\'s callback', async () => {
    ops.get(new URL(OP1).origin)!.claims = { sub: `replay-${suffix}` };
    const { cookie, state } = await start(P1, OPEN);
    expect((await callback(P1, cookie, { code: 'c', state })).status).toBe(302);
    const replay = await callback(P1, cookie, { code: 'c', state });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect((await callback(P1, '', { code: 'c', state })).status).toBe(400);
    const other = await start(P1, OPEN);
    expect((await callback(P2, other.cookie, { code: 'c', state: other.state })).status).toBe(400);
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'upstream.state_mismatch'").first<number>('n');
    expect(audit).toBeGreaterThanOrEqual(3);
  });

  it('refuses a wrong state, wrong nonce, another audience, alg none, a foreign key', async () => {
    const op = ops.get(new URL(OP1).origin)!;
    const s = await start(P1, OPEN);
    await rejected(await callback(P1, s.cookie, { code: 'c', state: 'not-the-state' }));
    op.claims = { nonce: 'other-nonce' };
    let f = await start(P1, OPEN);
    await rejected(await callback(P1, f.cookie, { code: 'c', state: f.state }));
    op.claims = { aud: 'someone-else' };
    f = await start(P1, OPEN);
    await rejected(await callback(P1, f.cookie, { code: 'c', state: f.state }));
    op.claims = {};
    for (const alg of ['none', 'wrong-key'] as const) {
      op.alg = alg;
      f = await start(P1, OPEN);
      await rejected(await callback(P1, f.cookie, { code: 'c', state: f.state }));
    }
  });

  it('answers huge and malformed token responses without a 500, and an unreachable upstream with Retry-After', async () => {
    const op = ops.get(new URL(OP1).origin)!;
    op.tokenResponse = () => new Response('x'.repeat(200_000), { headers: { 'Content-Type': 'application/json' } });
    let f = await start(P1, OPEN);
    const huge = await callback(P1, f.cookie, { code: 'c', state: f.state });
    expect(huge.status).toBe(503);
    expect(huge.headers.get('Retry-After')).toBe('30');
    op.tokenResponse = () => new Response('<html>oops</html>', { headers: { 'Content-Type': 'text/html' } });
    f = await start(P1, OPEN);
    await rejected(await callback(P1, f.cookie, { code: 'c', state: f.state }));
    op.tokenResponse = null;
    f = await start(P1, OPEN);
    op.down = true;
    const down = await callback(P1, f.cookie, { code: 'c', state: f.state });
    expect(down.status).toBe(503);
    expect(down.headers.get('Retry-After')).toBe('30');
  });

  it('returns an upstream denial to the sign-in page without reflecting its text', async () => {
    const f = await start(P1, OPEN);
    const res = await callback(P1, f.cookie, { error: 'access_denied', error_description: '<script>alert(1)</script>', state: f.state });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('was cancelled or refused');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('alert(1)');
  });
});
