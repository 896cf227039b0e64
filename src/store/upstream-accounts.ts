// A new local account for a first upstream sign-in: the user and its link, and undoing the user when the link lost a race.
import type { D1Like } from './db.ts';
import { insertLink } from './upstream-links.ts';
import { deleteUserStatement, insertUser, UsernameTakenError, type User } from './users.ts';

export interface JitAccount {
  usernames: () => Iterable<string>;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  issuer: string;
  subject: string;
  provider: string;
  /** Encrypted upstream tokens, for a provider that keeps them. */
  tokens: string | null;
}

/**
 * Creates the user (no password: '' never verifies) under the first free username, then links (issuer, sub). If
 * another request linked the pair meanwhile, the new user is deleted and null returned: the caller signs in the winner.
 */
export async function createLinkedUser(db: D1Like, a: JitAccount, now: number): Promise<User | null> {
  let user: User | null = null;
  for (const username of a.usernames()) {
    try {
      user = await insertUser(db, { username, email: a.email, emailVerified: a.emailVerified, name: a.name, passwordHash: '' });
      break;
    } catch (error) {
      if (!(error instanceof UsernameTakenError)) throw error;
    }
  }
  if (!user) throw new Error('no free username');
  const linked = await insertLink(db, { issuer: a.issuer, subject: a.subject, userId: user.id, provider: a.provider, createdAt: now, lastUsedAt: now }, a.tokens);
  if (linked) return user;
  await deleteUserStatement(db, user.id).run();
  return null;
}

/** The oldest account holding this address (any case), verified or not: a match means "prove it first", never a link. */
export async function findUserIdByEmail(db: D1Like, email: string): Promise<string | null> {
  return db.prepare('SELECT id FROM users WHERE email = ? COLLATE NOCASE ORDER BY created_at LIMIT 1').bind(email).first<string>('id');
}
