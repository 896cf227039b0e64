// The device flow's pages: the code entry, the sign-in page posting to /device/login, the approval page.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { formatUserCode } from '../../oauth/user-code.ts';
import { replicaReader } from '../../store/db.ts';
import { findUserById, type User } from '../../store/users.ts';
import { DeviceApprovePage, DeviceCodePage } from '../../ui/device.ts';
import { type LoginPageOptions, pageBase, renderError, showLoginPage } from '../render.ts';
import type { BrowserSession } from '../session.ts';
import { findSecondFactorNeed } from '../steps/second-factor.ts';
import { type PendingDevice, sealDeviceTransaction } from './transaction.ts';


export function renderCodePage(c: Context<AppEnv>, userCode: string, error: string | null, status: 200 | 400 | 429 = error ? 400 : 200) {
  c.status(status);
  return c.html(DeviceCodePage({ ...pageBase(c), userCode, error }));
}

export async function renderDeviceLogin(c: Context<AppEnv>, { client, device }: PendingDevice, opts: LoginPageOptions = {}) {
  const transaction = await sealDeviceTransaction(c, { userCode: device.userCode, session: null });
  return showLoginPage(c, client.name, transaction, { ...opts, action: '/device/login' });
}

/**
 * Asks the session's user to allow the device; a user gone or disabled since is asked to sign in instead. After
 * a sign-in the method's own user is `signedIn`, read once.
 */
export async function renderApprove(c: Context<AppEnv>, pending: PendingDevice, session: BrowserSession, signedIn?: User) {
  const { client, device } = pending;
  const user = signedIn ?? (await findUserById(replicaReader(c.env.DB), session.userId));
  if (!user || user.disabled) return renderDeviceLogin(c, pending);
  // The device flow has no second-factor page of its own: /account runs the step, then the code is entered again.
  const { need } = await findSecondFactorNeed(c, { client, session, user, acr: null, promptNone: false });
  if (need !== null) return renderError(c, 403, 'twoStepNeeded', 'secondFactorFirst');
  const transaction = await sealDeviceTransaction(c, { userCode: device.userCode, session: session.idHash });
  return c.html(
    DeviceApprovePage({
      ...pageBase(c), clientName: client.name, userCode: formatUserCode(device.userCode),
      username: user.username, scopes: device.scope.split(' ').filter(Boolean), transaction,
    }),
  );
}
