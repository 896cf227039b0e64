// The passkey second factor (SECOND_FACTORS.passkey) as the second-factor step calls it: only the user's own
// credentials, once per challenge, user presence enough; and its enrolment during sign-in.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono/tiny';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../../src/crypto/random.ts';
import type { AppEnv } from '../../../src/env.ts';
import { SECOND_FACTORS, type SecondFactorContext } from '../../../src/interaction/second-factors.ts';
import { services } from '../../../src/middleware/services.ts';
import { readForm } from '../../../src/oauth/params.ts';
import { listUserPasskeys } from '../../../src/store/passkeys.ts';
import { createUser, ISSUER } from '../../helpers/fixtures.ts';
import { addPasskey, FLAGS, SoftAuthenticator, webauthnBlock } from '../../helpers/webauthn.ts';

const factor = SECOND_FACTORS.passkey!;
const app = new Hono<AppEnv>()
  .use(services())
  .post('/:op', async (c) => {
    const ctx = JSON.parse(c.req.header('X-Factor-Context')!) as SecondFactorContext;
    const form = await readForm(c.req.raw);
    const op = c.req.param('op');
    if (op === 'render') return c.html(await factor.render(c, ctx));
    if (op === 'enrol-render') return c.html(await factor.enrolment!.render(c, ctx));
    return c.json(op === 'verify' ? await factor.verify(c, form, ctx) : await factor.enrolment!.complete(c, form, ctx));
  });

async function call(op: string, ctx: SecondFactorContext, body: Record<string, string> = {}): Promise<Response> {
  const executionCtx = createExecutionContext();
  const init = { method: 'POST', headers: { 'X-Factor-Context': JSON.stringify(ctx), 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER }, body: new URLSearchParams(body).toString() };
  const res = await app.request(`/${op}`, init, env, executionCtx);
  await waitOnExecutionContext(executionCtx);
  return res;
}

const context = (userId: string): SecondFactorContext => ({ userId, clientId: 'client-x', challenge: randomToken(32) });

describe('the passkey second factor', () => {
  it('offers only the user\'s credentials and accepts an assertion with user presence alone (amr hwk)', async () => {
    const user = await createUser();
    const authenticator = await SoftAuthenticator.create();
    await addPasskey(user.id, authenticator);
    expect(factor.amr).toEqual(['hwk']);
    const ctx = context(user.id);
    const block = webauthnBlock(await (await call('render', ctx)).text());
    expect(block.credentials).toEqual([authenticator.credentialId]);
    expect(block.challenge).toBe(ctx.challenge);
    const credential = await authenticator.assert(ctx.challenge, { flags: FLAGS.UP });
    expect(await (await call('verify', ctx, { credential })).json()).toEqual({ ok: true });
    // Replayed: the challenge was claimed.
    expect(await (await call('verify', ctx, { credential })).json()).toMatchObject({ ok: false, status: 200 });
  });

  it("refuses another user's credential, a wrong challenge and garbage", async () => {
    const [user, other] = [await createUser(), await createUser()];
    const theirs = await SoftAuthenticator.create();
    const mine = await SoftAuthenticator.create();
    await addPasskey(other.id, theirs);
    await addPasskey(user.id, mine);
    const ctx = context(user.id);
    expect(await (await call('verify', ctx, { credential: await theirs.assert(ctx.challenge) })).json()).toMatchObject({ ok: false });
    expect(await (await call('verify', ctx, { credential: await mine.assert(randomToken(32)) })).json()).toMatchObject({ ok: false });
    expect(await (await call('verify', ctx, { credential: '{"id":1}' })).json()).toMatchObject({ ok: false });
    expect(await (await call('verify', ctx, {})).json()).toMatchObject({ ok: false });
  });

  it('knows whether the user has a passkey', async () => {
    const user = await createUser();
    const executionCtx = createExecutionContext();
    const probe = new Hono<AppEnv>().use(services()).get('/', async (c) => c.json(await factor.isEnrolled(c, user.id)));
    expect(await (await probe.request('/', {}, env, executionCtx)).json()).toBe(false);
    await addPasskey(user.id, await SoftAuthenticator.create());
    expect(await (await probe.request('/', {}, env, executionCtx)).json()).toBe(true);
  });

  it('enrols a passkey during sign-in: the registration options, then the answer stored', async () => {
    const user = await createUser();
    const ctx = context(user.id);
    const html = await (await call('enrol-render', ctx)).text();
    expect(html).toContain('data-webauthn="create"');
    expect(html).toContain(`data-user-name="${user.username}"`);
    const authenticator = await SoftAuthenticator.create();
    const credential = await authenticator.register(webauthnBlock(html).challenge);
    expect(await (await call('enrol', ctx, { credential })).json()).toEqual({ ok: true });
    expect((await listUserPasskeys(env.DB, user.id)).map((p) => p.credentialId)).toEqual([authenticator.credentialId]);
    expect(await (await call('enrol', ctx, { credential })).json()).toMatchObject({ ok: false });
  });
});
