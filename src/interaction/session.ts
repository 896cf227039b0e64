// The SSO session: a signed cookie naming a session id, whose hash D1 records so it can be ended.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_ID_BYTES } from '../constants.ts';
import { digestToken } from '../crypto/digest.ts';
import { openEnvelope, sealEnvelope } from '../crypto/jwt.ts';
import { randomToken } from '../crypto/random.ts';
import type { AppEnv } from '../env.ts';
import { readAuthContext, type AuthContext } from '../oauth/acr.ts';
import { nowSeconds } from '../clock.ts';
import { replicaReader } from '../store/db.ts';
import { endSession, findSessionState } from '../store/sessions.ts';
import { recordAudit } from '../middleware/audit.ts';
import { recordSession, requestDevice } from '../account/new-device.ts';

const SESSION_TYP = 'session+jwt';
const COOKIE_NAME = 'edge_oidc_session';

/** amr and acr (AuthContext) say how the user signed in; every token issued from the session keeps them. */
export interface BrowserSession extends AuthContext {
  idHash: string;
  userId: string;
  authTime: number;
  /** The cookie's expiry: what logout's ended marker needs when the session's row was never written. */
  expiresAt: number;
}

function cookieOptions(c: Context<AppEnv>) {
  const secure = c.get('services').config.secureCookies;
  // __Host- prefix on https (Secure, Path=/, no Domain); plain name on http://localhost.
  return { secure, httpOnly: true, sameSite: 'Lax' as const, path: '/', ...(secure ? { prefix: 'host' as const } : {}) };
}

function readCookie(c: Context<AppEnv>): string | undefined {
  const secure = c.get('services').config.secureCookies;
  return secure ? getCookie(c, COOKIE_NAME, 'host') : getCookie(c, COOKIE_NAME);
}

/**
 * The browser's session, if its cookie is valid and D1 has not recorded it, or all its user's sessions, as
 * ended. One lookup, which may be served by a read replica; a session not yet replicated counts as live (its
 * cookie is signed).
 */
export async function readSession(c: Context<AppEnv>): Promise<BrowserSession | null> {
  const claimed = await openSessionCookie(c);
  return claimed && (await isSessionLive(c, claimed)) ? claimed : null;
}

/** The session a valid cookie names, before D1 is asked whether it ended: lets a caller read alongside that lookup. */
export async function openSessionCookie(c: Context<AppEnv>): Promise<BrowserSession | null> {
  const cookie = readCookie(c);
  if (!cookie || cookie.length > 4096) return null;
  const claims = await openEnvelope(c.get('services').envelopeKeys, SESSION_TYP, cookie);
  if (!claims || typeof claims.sid !== 'string' || typeof claims.sub !== 'string' || typeof claims.auth_time !== 'number') return null;
  const idHash = await digestToken(claims.sid);
  return { idHash, userId: claims.sub, authTime: claims.auth_time, expiresAt: claims.exp ?? 0, ...readAuthContext(claims.amr, claims.acr) };
}

export async function isSessionLive(c: Context<AppEnv>, session: BrowserSession): Promise<boolean> {
  return (await findSessionState(replicaReader(c.env.DB), session.idHash, nowSeconds(), session)) !== 'ended';
}

/** Starts a session after a successful login; D1 records it off the response path. */
export async function startSession(c: Context<AppEnv>, userId: string, authTime: number, auth: AuthContext): Promise<BrowserSession> {
  const { config, envelopeKeys } = c.get('services');
  const sid = randomToken(SESSION_ID_BYTES);
  const idHash = await digestToken(sid);
  const ttl = config.sessionTtlSeconds;
  const cookie = await sealEnvelope(envelopeKeys, SESSION_TYP, { sid, sub: userId, auth_time: authTime, amr: auth.amr, acr: auth.acr }, ttl);
  setCookie(c, COOKIE_NAME, cookie, { ...cookieOptions(c), maxAge: ttl });
  const now = nowSeconds();
  const device = requestDevice(c);
  // The device is recorded and compared with the user's earlier ones after the response (docs/decisions.md).
  c.executionCtx.waitUntil(
    recordSession(c, { idHash, userId, authTime, expiresAt: now + ttl }, now, device).catch((err: unknown) => {
      console.error(JSON.stringify({ msg: 'session record failed', requestId: c.get('requestId'), error: String(err) }));
    }),
  );
  recordAudit(c, { type: 'session.start', outcome: 'success', userId });
  return { idHash, userId, authTime, expiresAt: now + ttl, amr: auth.amr, acr: auth.acr };
}

/**
 * A second factor raised the session: a new session (new id, so the old cookie cannot ride on it) whose auth_time
 * is now, the time of the step-up (issue 13). The old one is ended off the response path, as sessions are recorded:
 * this browser's cookie is replaced by this response anyway.
 */
export async function replaceSession(c: Context<AppEnv>, old: BrowserSession, auth: AuthContext): Promise<BrowserSession> {
  const now = nowSeconds();
  const session = await startSession(c, old.userId, now, auth);
  c.executionCtx.waitUntil(endSession(c.env.DB, old, now).catch((err: unknown) => {
    console.error(JSON.stringify({ msg: 'session end failed', requestId: c.get('requestId'), error: String(err) }));
  }));
  recordAudit(c, { type: 'session.step_up', outcome: 'success', userId: old.userId, detail: auth.amr.join(' ') });
  return session;
}

/**
 * Ends a session the request was shown to hold. Without one the cookie stays: a cross-site POST arrives
 * without it (SameSite=Lax), and deleting it then would be a logout CSRF.
 */
export async function stopSession(c: Context<AppEnv>, session: BrowserSession | null): Promise<void> {
  if (!session) return;
  deleteCookie(c, COOKIE_NAME, cookieOptions(c));
  await endSession(c.env.DB, session, nowSeconds());
  recordAudit(c, { type: 'session.end', outcome: 'success', userId: session.userId });
}
