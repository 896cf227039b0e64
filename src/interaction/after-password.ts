// After a new password (a reset from a link, or one required at sign-in): back to the sign-in the journey started.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { isRegisteredRedirectUri } from '../oauth/redirect-uri.ts';
import { loadClient } from '../store/clients.ts';
import { NoticePage } from '../ui/password.ts';
import { renderLogin } from './render.ts';
import type { Transaction } from './transaction.ts';

export const PASSWORD_CHANGED = 'Your password was changed, and every session of your account was signed out.';
const SIGN_IN_AGAIN = 'Your password was changed. Sign in with your new password to continue.';

/**
 * The new password ended every session (this browser's too), so the journey resumes at its sign-in page, while its
 * transaction is valid and its client still has the redirect URI. Otherwise a confirmation, linking to the
 * client's origin when known (an origin only: a bare redirect URI would arrive without a code).
 */
export async function continueAfterPasswordChange(
  c: Context<AppEnv>, tx: Transaction | null, username: string, returnOrigin: string | null,
): Promise<Response> {
  const client = tx && (await loadClient(c.env.DB, tx.request.clientId));
  if (tx && client && isRegisteredRedirectUri(client.redirectUris, tx.request.redirectUri)) {
    return renderLogin(c, client, tx.request, { username, notice: SIGN_IN_AGAIN });
  }
  const link = returnOrigin ? { label: 'Back to the application', href: returnOrigin } : null;
  return c.html(NoticePage({ branding: c.get('services').config.branding, title: 'Password changed', message: PASSWORD_CHANGED, link }));
}
