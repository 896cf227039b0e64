// Linking on /account (issue 15 §4): proof of the local account first, then the upstream; unlinking the last way refused.
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { randomToken } from '../../src/crypto/random.ts';
import { clearProviderNames } from '../../src/store/upstream-names.ts';
import { signInToAccount } from '../helpers/account.ts';
import { callWithEnv, createClient, createUser, ISSUER, sessionCookie, type TestClient } from '../helpers/fixtures.ts';
import { addProvider, followToUpstream, OPEN, startFromLogin, upstreamCallback } from '../helpers/upstream.ts';
import { installUpstreams, type OpDouble } from '../helpers/upstream-double.ts';

const suffix = randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x');
const OP = `https://link-${suffix}.example`;
const NAME = `link${suffix}`;
let ops: Map<string, OpDouble>;
let client: TestClient;

function post(path: string, cookie: string, body: Record<string, string>) {
  return callWithEnv(OPEN, path, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER, Cookie: cookie },
    body: new URLSearchParams(body).toString(),
  });
}

/** From /account: Link NAME, through the upstream double, back to /account. */
async function linkFromAccount(session: string): Promise<Response> {
  const flow = followToUpstream(await post('/account/linked/link', session, { provider: NAME }), ops);
  return upstreamCallback(NAME, `${session}; ${flow.cookie}`, { code: 'c', state: flow.state });
}

beforeAll(async () => {
  await addProvider(NAME, 'oidc', OP, { trustEmail: true });
  clearProviderNames();
});
beforeEach(async () => {
  ops = installUpstreams([OP]);
  client = await createClient();
});
afterAll(() => vi.unstubAllGlobals());

describe('linking after proof', () => {
  it('refuses the email match, links from /account after a password sign-in, then signs in through the upstream', async () => {
    const user = await createUser({ email: `carol-${suffix}@example.org` });
    const op = ops.get(new URL(OP).origin)!;
    op.claims = { sub: `carol-up-${suffix}`, email: `carol-${suffix}@example.org`, email_verified: true };
    let flow = await startFromLogin(client, NAME, ops, OPEN);
    expect(await (await upstreamCallback(NAME, flow.cookie, { code: 'c', state: flow.state })).text()).toContain('An account with this email address already exists');

    const session = await signInToAccount(user);
    expect(await (await callWithEnv(OPEN, '/account', { headers: { Cookie: session } })).text()).toContain(`Link ${NAME.charAt(0).toUpperCase()}`);
    const linked = await linkFromAccount(session);
    expect(linked.status).toBe(303);
    expect(linked.headers.get('Location')).toBe('/account');
    expect(await (await callWithEnv(OPEN, '/account', { headers: { Cookie: session } })).text()).toContain('name="subject"');

    flow = await startFromLogin(client, NAME, ops, OPEN);
    const back = await upstreamCallback(NAME, flow.cookie, { code: 'c', state: flow.state });
    expect(back.status).toBe(302);
    const link = await env.DB.prepare('SELECT user_id FROM upstream_links WHERE subject = ?').bind(`carol-up-${suffix}`).first<string>('user_id');
    expect(link).toBe(user.id);

    // Unlinking is allowed: the account still has its password.
    const unlinked = await post('/account/linked/unlink', session, { issuer: OP, subject: `carol-up-${suffix}` });
    expect(unlinked.status).toBe(303);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM upstream_links WHERE user_id = ?').bind(user.id).first<number>('n')).toBe(0);
  });

  it('refuses a link whose browser is no longer signed in as the user who started it, and a pair linked elsewhere', async () => {
    const [a, b] = [await createUser(), await createUser()];
    ops.get(new URL(OP).origin)!.claims = { sub: `shared-${suffix}` };
    const sessionA = await signInToAccount(a);
    expect((await linkFromAccount(sessionA)).status).toBe(303);
    const sessionB = await signInToAccount(b);
    const elsewhere = await linkFromAccount(sessionB);
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('already linked to another account');
    const flow = followToUpstream(await post('/account/linked/link', sessionB, { provider: NAME }), ops);
    const swapped = await upstreamCallback(NAME, `${sessionA}; ${flow.cookie}`, { code: 'c', state: flow.state });
    expect(swapped.status).toBe(400);
  });

  it('refuses to unlink the last way to sign in of an account made by the upstream', async () => {
    ops.get(new URL(OP).origin)!.claims = { sub: `jit-${suffix}` };
    const flow = await startFromLogin(client, NAME, ops, OPEN);
    const signedIn = await upstreamCallback(NAME, flow.cookie, { code: 'c', state: flow.state });
    expect(signedIn.status).toBe(302);
    const session = sessionCookie(signedIn);
    const refused = await post('/account/linked/unlink', session, { issuer: OP, subject: `jit-${suffix}` });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('last way to sign in');
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM upstream_links WHERE subject = ?').bind(`jit-${suffix}`).first<number>('n')).toBe(1);
  });
});
