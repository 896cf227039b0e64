// "Not you?" on a sign-in page prefilled from a hint: another account, or back to the client when it named one.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { OAuthError } from '../oauth/errors.ts';
import type { PostedTransaction } from './posted.ts';
import { redirectWithError, renderLogin } from './render.ts';

/**
 * A login_hint only suggests a name (OIDC Core §3.1.2.1): the page is shown again without it. An id_token_hint
 * asks for that account alone, and the Core says to answer with an error such as login_required when it does not
 * sign in; the client may then start again without the hint.
 */
export function switchAccount(c: Context<AppEnv>, { client, request }: PostedTransaction): Promise<Response> | Response {
  if (request.idTokenHintSub !== null) {
    return redirectWithError(c, request, new OAuthError('login_required', 'The user chose to sign in with another account'));
  }
  return renderLogin(c, client, { ...request, loginHint: null });
}
