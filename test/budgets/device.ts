// The device flow's browser steps (RFC 8628 §3.3) up to the request a budget probes: each call a fresh device code.
import { expect } from 'vitest';
import { form, formAs, hiddenTx, sessionCookie, type TestClient, type TestUser } from '../helpers/fixtures.ts';

/** A fresh user code from /device_authorization. */
export async function startDevice(client: TestClient): Promise<{ deviceCode: string; userCode: string }> {
  const res = await formAs(client, '/device_authorization', { scope: 'openid profile' });
  expect(res.status).toBe(200);
  const body = await res.json<{ device_code: string; user_code: string }>();
  return { deviceCode: body.device_code, userCode: body.user_code };
}

/** The login form /device answers for a fresh user code: its signed transaction. */
export async function deviceLoginTx(client: TestClient): Promise<string> {
  const entered = await form('/device', { user_code: (await startDevice(client)).userCode });
  expect(entered.status).toBe(200);
  return hiddenTx(await entered.text());
}

/** Signed in on /device/login: the approval page's transaction and the new session cookie. */
export async function deviceApproval(client: TestClient, user: TestUser, started?: { userCode: string }) {
  const { userCode } = started ?? (await startDevice(client));
  const entered = await form('/device', { user_code: userCode });
  const signedIn = await form('/device/login', { tx: hiddenTx(await entered.text()), username: user.username, password: user.password });
  expect(signedIn.status).toBe(200);
  return { tx: hiddenTx(await signedIn.text()), cookie: sessionCookie(signedIn) };
}

/** A device code the user has allowed, not yet polled. */
export async function approvedDeviceCode(client: TestClient, user: TestUser): Promise<string> {
  const started = await startDevice(client);
  const { tx, cookie } = await deviceApproval(client, user, started);
  const done = await form('/device/decision', { tx, decision: 'allow' }, { Cookie: cookie });
  expect(done.status).toBe(200);
  return started.deviceCode;
}
