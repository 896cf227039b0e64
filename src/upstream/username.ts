// A new account's username from an upstream identity: readable, ASCII, unique (docs/decisions.md "Upstream usernames").
import { randomToken } from '../crypto/random.ts';
import type { UpstreamIdentity } from './identity.ts';

const MAX = 24;

/** The handle (preferred_username, GitHub login, email local part) folded to a-z 0-9 . _ -; "user" when nothing is left. */
export function usernameBase(who: Pick<UpstreamIdentity, 'handle'>): string {
  const folded = (who.handle ?? '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9._-]+/g, '').replace(/^[._-]+|[._-]+$/g, '').slice(0, MAX);
  return folded.length >= 2 ? folded : 'user';
}

/** Candidates in order: the base, then the base with a random 6-character suffix (never a counter: no guessable sequence). */
export function usernameCandidate(base: string, attempt: number): string {
  if (attempt === 0 && base !== 'user') return base;
  const suffix = randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 6);
  return `${base}-${suffix}`;
}
