// The device verification pages (RFC 8628 §3.3): enter the user code, sign in if needed, allow or deny.
import { Hono } from 'hono/tiny';
import type { Context } from 'hono';
import { LOGIN_TRANSACTION_TTL_SECONDS } from '../constants.ts';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import type { AppEnv } from '../env.ts';
import { signInWithPassword } from '../interaction/methods/password.ts';
import { renderError } from '../interaction/render.ts';
import { recordAudit } from '../middleware/audit.ts';
import { readSession, type BrowserSession } from '../interaction/session.ts';
import { reserveUserCodeAttempt, userCodeAccepted } from '../guards/user-code-throttle.ts';
import { readForm } from '../oauth/params.ts';
import { formatUserCode, normalizeUserCode } from '../oauth/user-code.ts';
import { loadClient, type Client } from '../store/clients.ts';
import { nowSeconds } from '../clock.ts';
import { replicaReader } from '../store/db.ts';
import { decideDeviceCode, findPendingDeviceCode, type DeviceCode } from '../store/device-codes.ts';
import { findUserById } from '../store/users.ts';
import { DeviceApprovePage, DeviceCodePage, DeviceDonePage } from '../ui/device.ts';
import { LoginPage } from '../ui/login.ts';

const DEVICE_TYP = 'device+jwt';
const INVALID_CODE = 'That code is not valid or has expired. Check the code on your device.';

interface DeviceTransaction {
  userCode: string;
  /** Set on the approval page: the session that approval is asked in. */
  session: string | null;
}

function seal(c: Context<AppEnv>, tx: DeviceTransaction): Promise<string> {
  return sealEnvelope(c.get('services').envelopeKeys, DEVICE_TYP, { ...tx }, LOGIN_TRANSACTION_TTL_SECONDS);
}

async function open(c: Context<AppEnv>, token: string | null): Promise<DeviceTransaction | null> {
  if (!token || token.length > 16_384) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, DEVICE_TYP, token);
  return claims && typeof claims.userCode === 'string' ? { userCode: claims.userCode, session: typeof claims.session === 'string' ? claims.session : null } : null;
}

function codePage(c: Context<AppEnv>, userCode: string, error: string | null) {
  c.status(error ? 400 : 200);
  return c.html(DeviceCodePage({ branding: c.get('services').config.branding, userCode, error }));
}

async function loginPage(c: Context<AppEnv>, client: Client, userCode: string, username = '', error: string | null = null, status: 200 | 429 = 200) {
  c.status(status);
  return c.html(
    LoginPage({
      branding: c.get('services').config.branding, clientName: client.name, transaction: await seal(c, { userCode, session: null }),
      username, error, action: '/device/login',
    }),
  );
}

async function approvePage(c: Context<AppEnv>, client: Client, device: DeviceCode, session: BrowserSession) {
  const user = await findUserById(replicaReader(c.env.DB), session.userId);
  if (!user || user.disabled) return loginPage(c, client, device.userCode);
  const transaction = await seal(c, { userCode: device.userCode, session: session.idHash });
  return c.html(
    DeviceApprovePage({
      branding: c.get('services').config.branding, clientName: client.name, userCode: formatUserCode(device.userCode),
      username: user.username, scopes: device.scope.split(' ').filter(Boolean), transaction,
    }),
  );
}

/** The pending code and its client, or null when either is gone. */
async function loadPending(c: Context<AppEnv>, userCode: string): Promise<{ device: DeviceCode; client: Client } | null> {
  const device = await findPendingDeviceCode(c.env.DB, userCode, nowSeconds());
  const client = device ? await loadClient(c.env.DB, device.clientId) : null;
  return device && client ? { device, client } : null;
}

export const deviceRoutes = new Hono<AppEnv>()
  .get('/', (c) => codePage(c, (c.req.query('user_code') ?? '').slice(0, 16), null))
  .post('/', async (c) => {
    const typed = ((await readForm(c.req.raw)).get('user_code') ?? '').slice(0, 32);
    const attempt = await reserveUserCodeAttempt(c);
    if (attempt.throttled) {
      c.status(429);
      return c.html(DeviceCodePage({ branding: c.get('services').config.branding, userCode: typed.slice(0, 16), error: 'Too many attempts. Wait a few minutes and try again.' }));
    }
    const userCode = normalizeUserCode(typed);
    const pending = userCode ? await loadPending(c, userCode) : null;
    if (!pending) {
      recordAudit(c, { type: 'device.code_invalid', outcome: 'failure' });
      return codePage(c, typed.slice(0, 16), INVALID_CODE);
    }
    userCodeAccepted(c, attempt.ipKey);
    const session = await readSession(c);
    if (!session) return loginPage(c, pending.client, pending.device.userCode);
    return approvePage(c, pending.client, pending.device, session);
  })
  .post('/login', async (c) => {
    const form = await readForm(c.req.raw);
    const tx = await open(c, form.get('tx'));
    const pending = tx ? await loadPending(c, tx.userCode) : null;
    if (!pending) return renderError(c, 400, 'Code expired', INVALID_CODE);
    const result = await signInWithPassword(c, form, pending.client.clientId);
    if (!result.ok) return loginPage(c, pending.client, pending.device.userCode, result.username, result.error, result.status);
    return approvePage(c, pending.client, pending.device, result.session);
  })
  .post('/decision', async (c) => {
    const form = await readForm(c.req.raw);
    const tx = await open(c, form.get('tx'));
    if (!tx || tx.session === null) return renderError(c, 400, 'Request expired', 'This form has expired or was altered.');
    const session = await readSession(c);
    if (!session || session.idHash !== tx.session) return renderError(c, 400, 'Request expired', 'Your session changed; enter the code again.');
    const approved = form.get('decision') === 'allow';
    const decided = await decideDeviceCode(c.env.DB, {
      userCode: tx.userCode, approved, userId: session.userId, authTime: session.authTime, sessionIdHash: session.idHash, amr: session.amr, now: nowSeconds(),
    });
    if (!decided) return renderError(c, 400, 'Code expired', INVALID_CODE);
    recordAudit(c, { type: approved ? 'device.approved' : 'device.denied', outcome: approved ? 'success' : 'failure', userId: session.userId });
    return c.html(DeviceDonePage({ branding: c.get('services').config.branding, approved }));
  });
