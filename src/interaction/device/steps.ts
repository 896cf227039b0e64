// The device verification journey (RFC 8628 §3.3): enter the user code, sign in if needed, allow or deny.
import type { Context } from 'hono';
import { nowSeconds } from '../../clock.ts';
import type { AppEnv } from '../../env.ts';
import { reserveUserCodeAttempt, userCodeAccepted } from '../../guards/user-code-throttle.ts';
import { recordAudit } from '../../middleware/audit.ts';
import { texts } from '../../middleware/language.ts';
import { normalizeUserCode } from '../../oauth/user-code.ts';
import { decideDeviceCode } from '../../store/device-codes.ts';
import { DeviceDonePage } from '../../ui/device.ts';
import { findFirstFactor } from '../authenticate.ts';
import { pageBase, renderError } from '../render.ts';
import { readSession } from '../session.ts';
import { renderApprove, renderCodePage, renderDeviceLogin } from './render.ts';
import { loadPending, openDeviceTransaction } from './transaction.ts';

/** The typed code, throttled per IP: the sign-in page, or the approval page in a live session. */
export async function enterUserCode(c: Context<AppEnv>, form: URLSearchParams): Promise<Response> {
  const typed = (form.get('user_code') ?? '').slice(0, 32);
  const attempt = await reserveUserCodeAttempt(c);
  if (attempt.throttled) return renderCodePage(c, typed.slice(0, 16), texts(c).tooManyAttempts, 429);
  const userCode = normalizeUserCode(typed);
  const pending = userCode ? await loadPending(c, userCode) : null;
  if (!pending) {
    recordAudit(c, { type: 'device.code_invalid', outcome: 'failure' });
    return renderCodePage(c, typed.slice(0, 16), texts(c).deviceCodeInvalid);
  }
  userCodeAccepted(c, attempt.ipKey);
  const session = await readSession(c);
  if (!session) return renderDeviceLogin(c, pending);
  return renderApprove(c, pending, session);
}

/** Signs in with the method the form names, as POST /login does; success asks for approval. */
export async function signInForDevice(c: Context<AppEnv>, form: URLSearchParams): Promise<Response> {
  const tx = await openDeviceTransaction(c, form.get('tx'));
  const pending = tx ? await loadPending(c, tx.userCode) : null;
  if (!pending) return renderError(c, 400, 'codeExpired', 'deviceCodeInvalid');
  const result = await findFirstFactor(form).signIn(c, form, pending.client.clientId, null);
  if (!result.ok) {
    // challenge: Turnstile past the per-address limit, as on /login (src/guards/login-challenge.ts).
    return renderDeviceLogin(c, pending, { username: result.username, error: result.error, status: result.status, challenge: result.challenge });
  }
  return renderApprove(c, pending, result.session, result.user);
}

/** Records the decision, only in the session approval was asked in (a swapped session could approve for another). */
export async function decideDevice(c: Context<AppEnv>, form: URLSearchParams): Promise<Response> {
  const tx = await openDeviceTransaction(c, form.get('tx'));
  if (!tx || tx.session === null) return renderError(c, 400, 'requestExpired', 'formAltered');
  const session = await readSession(c);
  if (!session || session.idHash !== tx.session) return renderError(c, 400, 'requestExpired', 'sessionChanged');
  const approved = form.get('decision') === 'allow';
  const decided = await decideDeviceCode(c.env.DB, {
    userCode: tx.userCode, approved, userId: session.userId, authTime: session.authTime, sessionIdHash: session.idHash, amr: session.amr, now: nowSeconds(),
  });
  if (!decided) return renderError(c, 400, 'codeExpired', 'deviceCodeInvalid');
  recordAudit(c, { type: approved ? 'device.approved' : 'device.denied', outcome: approved ? 'success' : 'failure', userId: session.userId });
  return c.html(DeviceDonePage({ ...pageBase(c), approved }));
}
