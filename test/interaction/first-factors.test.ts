// The first-factor table: a method added to it signs in through POST /login and /device/login, and nothing else changes.
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { nowSeconds } from '../../src/clock.ts';
import { FIRST_FACTORS } from '../../src/interaction/authenticate.ts';
import type { FirstFactorMethod } from '../../src/interaction/journey.ts';
import { en } from '../../src/i18n/en.ts';
import { startSession } from '../../src/interaction/session.ts';
import { PASSWORD_AUTH } from '../../src/oauth/acr.ts';
import { DEVICE_CODE_GRANT } from '../../src/constants.ts';
import { authorizeUrl, callWithEnv, createClient, createUser, exchange, hiddenTx, ISSUER, sessionCookie, type TestClient } from '../helpers/fixtures.ts';
import { expectRedirect, isLoginPage } from '../helpers/flow.ts';

const ORIGINAL = { ...FIRST_FACTORS };
let calls: string[] = [];

afterEach(() => {
  for (const name of Object.keys(FIRST_FACTORS)) if (!Object.hasOwn(ORIGINAL, name)) delete FIRST_FACTORS[name];
  calls = [];
});

/** Signs in whoever the form's `user` field names, with no secret: enough to show the table is consulted. */
const fakeMethod: FirstFactorMethod = {
  async signIn(c, form, clientId) {
    calls.push(clientId);
    return { ok: true, session: await startSession(c, form.get('user') ?? '', nowSeconds(), PASSWORD_AUTH) };
  },
};

/** Called in this isolate's module instance, so the table the test edits is the one the Worker runs. */
function post(path: string, body: Record<string, string>, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER };
  if (cookie) headers.Cookie = cookie;
  return callWithEnv({}, path, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
}

async function loginTx(client: TestClient): Promise<string> {
  const page = await callWithEnv({}, authorizeUrl(client));
  expect(page.status).toBe(200);
  return hiddenTx(await page.text());
}

async function deviceLoginTx(): Promise<{ tx: string; client: TestClient; deviceCode: string }> {
  const client = await createClient({ tokenEndpointAuthMethod: 'none', grantTypes: [DEVICE_CODE_GRANT], redirectUris: [] });
  const started = await post('/device_authorization', { client_id: client.clientId, scope: 'openid' });
  const { user_code, device_code } = await started.json<{ user_code: string; device_code: string }>();
  const entered = await post('/device', { user_code });
  expect(entered.status).toBe(200);
  return { tx: hiddenTx(await entered.text()), client, deviceCode: device_code };
}

describe('a method added to FIRST_FACTORS', () => {
  it('signs in through POST /login when the form names it, and the code is issued and redeemed as before', async () => {
    const client = await createClient();
    const user = await createUser();
    FIRST_FACTORS.fake = fakeMethod;
    const res = await post('/login', { tx: await loginTx(client), method: 'fake', user: user.id });
    const params = expectRedirect(res, client, 303);
    expect(calls).toEqual([client.clientId]);
    const token = await exchange(client, params.get('code')!);
    expect(token.status).toBe(200);
    expect(decodeJwt((await token.json<{ id_token: string }>()).id_token).sub).toBe(user.id);
  });

  it('signs in through /device/login too, and the device is approved in that session', async () => {
    const user = await createUser();
    FIRST_FACTORS.fake = fakeMethod;
    const { tx, client, deviceCode } = await deviceLoginTx();
    const signedIn = await post('/device/login', { tx, method: 'fake', user: user.id });
    expect(signedIn.status).toBe(200);
    const approveHtml = await signedIn.text();
    expect(approveHtml).toContain('value="allow"');
    expect(calls).toEqual([client.clientId]);
    const done = await post('/device/decision', { tx: hiddenTx(approveHtml), decision: 'allow' }, sessionCookie(signedIn));
    expect(done.status).toBe(200);
    const token = await post('/token', { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: client.clientId });
    expect(token.status).toBe(200);
    expect(decodeJwt((await token.json<{ id_token: string }>()).id_token).sub).toBe(user.id);
  });

  it('is not used when the form names none: password stays the default', async () => {
    const client = await createClient();
    const user = await createUser();
    FIRST_FACTORS.fake = fakeMethod;
    const res = await post('/login', { tx: await loginTx(client), username: user.username, password: user.password });
    expectRedirect(res, client, 303);
    expect(calls).toEqual([]);
  });
});

describe('a method the table lacks', () => {
  for (const method of ['webauthn', '__proto__', 'constructor', 'toString', '']) {
    it(`"${method}" is refused like bad input, with the sign-in page again and no session`, async () => {
      const client = await createClient();
      const user = await createUser();
      const res = await post('/login', { tx: await loginTx(client), method, username: user.username, password: user.password });
      expect(res.status).toBe(200);
      expect(res.headers.get('Set-Cookie') ?? '').not.toContain('edge_oidc_session=');
      const html = await res.text();
      expect(isLoginPage(html)).toBe(true);
      expect(html).toContain(en.invalidCredentials);
    });
  }

  it('is refused at /device/login the same way', async () => {
    const user = await createUser();
    const { tx } = await deviceLoginTx();
    const res = await post('/device/login', { tx, method: '__proto__', username: user.username, password: user.password });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/device/login"');
    expect(html).toContain(en.invalidCredentials);
  });
});
