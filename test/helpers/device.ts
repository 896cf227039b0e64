// The device flow as tests walk it (RFC 8628 §3.2-3.3): start on the device, then the user's browser enters the
// code, signs in and decides.
import { expect } from 'vitest';
import { form, formAs, hiddenTx, sessionCookie, type TestClient, type TestUser } from './fixtures.ts';

export interface StartedDevice {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** POST /device_authorization, as a public client (client_id) or a confidential one (its secret). */
export async function startDevice(client: TestClient, scope = 'openid profile offline_access'): Promise<StartedDevice> {
  const res = client.secret ? await formAs(client, '/device_authorization', { scope }) : await form('/device_authorization', { client_id: client.clientId, scope });
  expect(res.status).toBe(200);
  return res.json<StartedDevice>();
}

/** The sign-in form /device answers for a user code: its signed transaction. */
export async function deviceLoginTx(userCode: string): Promise<string> {
  const entered = await form('/device', { user_code: userCode });
  expect(entered.status).toBe(200);
  const html = await entered.text();
  expect(html).toContain('action="/device/login"');
  return hiddenTx(html);
}

/** Signed in on /device/login: the approval page's transaction and the new session cookie. */
export async function deviceApproval(userCode: string, user: TestUser): Promise<{ tx: string; cookie: string }> {
  const signedIn = await form('/device/login', { tx: await deviceLoginTx(userCode), username: user.username, password: user.password });
  expect(signedIn.status).toBe(200);
  const html = await signedIn.text();
  expect(html).toContain('Allow Test App?');
  return { tx: hiddenTx(html), cookie: sessionCookie(signedIn) };
}

/** The user enters the code, signs in and decides; the decision page's HTML. */
export async function decideDevice(userCode: string, user: TestUser, decision: 'allow' | 'deny'): Promise<string> {
  const { tx, cookie } = await deviceApproval(userCode, user);
  const done = await form('/device/decision', { tx, decision }, { Cookie: cookie });
  expect(done.status).toBe(200);
  return done.text();
}
