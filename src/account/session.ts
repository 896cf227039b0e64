// The account page's session: the provider's own SSO session, signed in through the journey, recent for changes.
import type { Context, MiddlewareHandler } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { renderLogin } from '../interaction/render.ts';
import { type BrowserSession, readSession } from '../interaction/session.ts';
import { replicaReader } from '../store/db.ts';
import { findUserById, type User } from '../store/users.ts';
import { ACCOUNT_PATH, RECENT_AUTH_SECONDS, accountClient, accountRequest } from './client.ts';

/** The signed-in user on /account and its sections. */
export interface AccountState {
  session: BrowserSession;
  user: User;
}

export interface AccountVariables {
  account: AccountState;
}

/** The sign-in page for the account client; after it the journey comes back to /account (src/interaction/finish.ts). */
export function signInToAccount(c: Context<AppEnv>, reauthenticate?: User) {
  const { issuer } = c.get('services').config;
  const request = accountRequest(issuer, reauthenticate && { userId: reauthenticate.id, username: reauthenticate.username });
  return renderLogin(c, accountClient(issuer), request);
}

/** Without a live session (or with a disabled user) a GET shows the sign-in page, a POST goes back to /account. */
export function accountSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await readSession(c);
    const user = session && (await findUserById(replicaReader(c.env.DB), session.userId));
    if (!session || !user || user.disabled) return c.req.method === 'GET' ? signInToAccount(c) : c.redirect(ACCOUNT_PATH, 303);
    c.set('account', { session, user });
    await next();
  };
}

export function isRecentSignIn(session: BrowserSession, now = nowSeconds()): boolean {
  return now - session.authTime <= RECENT_AUTH_SECONDS;
}

/** A change needs a sign-in within RECENT_AUTH_SECONDS: otherwise the same user signs in again, then retries. */
export function recentSignIn(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { session, user } = c.get('account');
    if (c.req.method !== 'GET' && !isRecentSignIn(session)) return signInToAccount(c, user);
    await next();
  };
}
