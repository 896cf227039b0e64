// Which local account an upstream identity signs in: its link by (issuer, sub), never by email alone (issue 15 §4).
import type { Context } from 'hono';
import { nowSeconds } from '../clock.ts';
import type { AppEnv } from '../env.ts';
import { createLinkedUser, findUserIdByEmail } from '../store/upstream-accounts.ts';
import { findLink, insertLink, touchLinkStatement } from '../store/upstream-links.ts';
import type { UpstreamProvider } from '../store/upstream-providers.ts';
import { findUserById, type User } from '../store/users.ts';
import { domainAllowed, type UpstreamIdentity } from './identity.ts';
import { mayCreateAccount } from './signup.ts';
import { usernameBase, usernameCandidate } from './username.ts';

export type Resolution =
  | { ok: true; user: User; created: boolean; linked: boolean }
  | { ok: false; reason: 'domain' | 'disabled' | 'email_in_use' | 'signup_closed' | 'linked_elsewhere' };

function* usernames(who: UpstreamIdentity): Iterable<string> {
  const base = usernameBase(who);
  for (let attempt = 0; attempt < 4; attempt++) yield usernameCandidate(base, attempt);
}

/** Linking from /account: the signed-in user proved ownership of the local account; the pair must be free or theirs. */
async function linkTo(c: Context<AppEnv>, p: UpstreamProvider, who: UpstreamIdentity, userId: string, tokens: string | null): Promise<Resolution> {
  const now = nowSeconds();
  const user = await findUserById(c.env.DB, userId);
  if (!user || user.disabled) return { ok: false, reason: 'disabled' };
  const link = { issuer: who.issuer, subject: who.subject, userId, provider: p.name, createdAt: now, lastUsedAt: now };
  if (await insertLink(c.env.DB, link, tokens)) return { ok: true, user, created: false, linked: true };
  const existing = await findLink(c.env.DB, who.issuer, who.subject);
  return existing?.userId === userId ? { ok: true, user, created: false, linked: false } : { ok: false, reason: 'linked_elsewhere' };
}

export async function resolveAccount(
  c: Context<AppEnv>, p: UpstreamProvider, who: UpstreamIdentity, linkUser: string | null, tokens: string | null = null,
): Promise<Resolution> {
  if (linkUser) return linkTo(c, p, who, linkUser, tokens);
  const now = nowSeconds();
  const link = await findLink(c.env.DB, who.issuer, who.subject);
  if (link) {
    const user = await findUserById(c.env.DB, link.userId);
    if (!user || user.disabled) return { ok: false, reason: 'disabled' };
    c.executionCtx.waitUntil(touchLinkStatement(c.env.DB, who.issuer, who.subject, now, tokens).run().catch(() => undefined));
    return { ok: true, user, created: false, linked: false };
  }
  if (!domainAllowed(p, who)) return { ok: false, reason: 'domain' };
  // An account on a verified, trusted address is never joined automatically: its owner links after proof. An
  // unverified address proves nothing, so it neither links nor is told about (no account-existence leak): a new account.
  if (who.emailVerified && who.email && (await findUserIdByEmail(c.env.DB, who.email))) return { ok: false, reason: 'email_in_use' };
  if (!(await mayCreateAccount(c, who))) return { ok: false, reason: 'signup_closed' };
  const user = await createLinkedUser(c.env.DB, {
    usernames: () => usernames(who), email: who.email, emailVerified: who.emailVerified, name: who.name,
    issuer: who.issuer, subject: who.subject, provider: p.name, tokens,
  }, now);
  if (user) return { ok: true, user, created: true, linked: true };
  return resolveAccount(c, p, who, null, tokens);
}
