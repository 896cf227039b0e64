import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono/tiny';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmailVerification } from '../../src/accounts/email-verification.ts';
import { showVerifyCodePage } from '../../src/accounts/verify-code-page.ts';
import type { AppEnv } from '../../src/env.ts';
import { auditBatch } from '../../src/middleware/audit.ts';
import { services } from '../../src/middleware/services.ts';
import { findUserById } from '../../src/store/users.ts';
import { callWithEnv, createClient, createUser, formWithEnv, ISSUER, signIn } from '../helpers/fixtures.ts';
import { expectErrorPage, redeemCode, userinfo } from '../helpers/flow.ts';
import { DEV, hiddenField, mailedLink, outboxFor } from '../helpers/mail.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A tiny app around the flow's entry points, as sign-up and the account page will call them. */
const harness = new Hono<AppEnv>()
  .use(services())
  .use(auditBatch())
  .post('/start/:id', async (c) => {
    const user = (await findUserById(c.env.DB, c.req.param('id')))!;
    startEmailVerification(c, user);
    return showVerifyCodePage(c, user);
  });

async function startFor(userId: string): Promise<string> {
  const ctx = createExecutionContext();
  const res = await harness.fetch(new Request(`${ISSUER}/start/${userId}`, { method: 'POST' }), { ...env, ...DEV }, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  return hiddenField(await res.text(), 'ev');
}

async function unverifiedUser() {
  const user = await createUser();
  await env.DB.prepare('UPDATE users SET email_verified = 0 WHERE id = ?').bind(user.id).run();
  return { ...user, email: `${user.username}@example.com` };
}

const isVerified = async (id: string) => (await findUserById(env.DB, id))!.emailVerified;

function mailedCode(text: string): string {
  return /Or enter this code: (\d{6})/.exec(text)![1]!;
}

describe('email verification by link', () => {
  it('shows a button on GET (a scanner does nothing) and verifies on POST, once', async () => {
    const user = await unverifiedUser();
    await startFor(user.id);
    const link = await mailedLink(user.email, '/email/verify');
    const landing = await callWithEnv(DEV, link.pathname + link.search);
    expect(landing.status).toBe(200);
    expect(landing.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(await isVerified(user.id)).toBe(false);
    const token = link.searchParams.get('token')!;
    expect((await formWithEnv(DEV, '/email/verify', { token })).status).toBe(200);
    expect(await isVerified(user.id)).toBe(true);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { token }), 400);
  });

  it('makes email_verified true in the claims (userinfo)', async () => {
    const [client, user] = await Promise.all([createClient(), unverifiedUser()]);
    await startFor(user.id);
    await formWithEnv(DEV, '/email/verify', { token: (await mailedLink(user.email, '/email/verify')).searchParams.get('token')! });
    const { code } = await signIn(client, user);
    const tokens = await redeemCode<{ access_token: string }>(client, code);
    const claims = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ email: user.email, email_verified: true });
  });

  it('expires after 30 minutes', async () => {
    const user = await unverifiedUser();
    await startFor(user.id);
    const token = (await mailedLink(user.email, '/email/verify')).searchParams.get('token')!;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { token }), 400);
    expect(await isVerified(user.id)).toBe(false);
  });

  it('does not verify an address the user no longer has', async () => {
    const user = await unverifiedUser();
    await startFor(user.id);
    await env.DB.prepare("UPDATE users SET email = 'changed@example.com' WHERE id = ?").bind(user.id).run();
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { token: (await mailedLink(user.email, '/email/verify')).searchParams.get('token')! }), 400);
    expect(await isVerified(user.id)).toBe(false);
  });
});

describe('email verification by code', () => {
  it('verifies with the mailed 6-digit code, once', async () => {
    const user = await unverifiedUser();
    const ev = await startFor(user.id);
    const [mail] = await outboxFor(user.email);
    const code = mailedCode(mail!.text);
    expect((await formWithEnv(DEV, '/email/verify', { ev, code })).status).toBe(200);
    expect(await isVerified(user.id)).toBe(true);
    expect((await formWithEnv(DEV, '/email/verify', { ev, code })).status).toBe(400);
  });

  it('refuses wrong codes and throttles after five attempts, even for the right code', async () => {
    const user = await unverifiedUser();
    const ev = await startFor(user.id);
    const code = mailedCode((await outboxFor(user.email))[0]!.text);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect((await formWithEnv(DEV, '/email/verify', { ev, code: wrong })).status).toBe(400);
    expect((await formWithEnv(DEV, '/email/verify', { ev, code })).status).toBe(429);
    expect(await isVerified(user.id)).toBe(false);
  });

  it('refuses hostile input with a page, never a 500', async () => {
    const user = await unverifiedUser();
    const ev = await startFor(user.id);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', {}), 400);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { ev: 'x'.repeat(10_000), code: '123456' }), 400);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { ev: `${ev}x`, code: '123456' }), 400);
    expect((await formWithEnv(DEV, '/email/verify', { ev, code: '<script>' })).status).toBe(400);
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { token: '../../etc' }), 400);
    await expectErrorPage(await callWithEnv(DEV, '/email/verify?token=short'), 400);
  });

  it('refuses a reset token at the verification endpoint (another purpose)', async () => {
    const user = await unverifiedUser();
    await formWithEnv(DEV, '/password/forgot', { identifier: user.username });
    const token = (await mailedLink(user.email, '/password/reset')).searchParams.get('token')!;
    await expectErrorPage(await formWithEnv(DEV, '/email/verify', { token }), 400);
    expect(await isVerified(user.id)).toBe(false);
  });
});
