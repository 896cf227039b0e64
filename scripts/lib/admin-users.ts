// User administration shared by the admin CLI and the dev script: policy, hashing, store calls, audit.
import { hashPassword, type Peppers } from '../../src/crypto/password.ts';
import { checkPasswordPolicy } from '../../src/policy/password.ts';
import { checkName, checkUsername, isEmailAddress } from '../../src/policy/registration.ts';
import { deleteUser, replacePassword, setUserDisabled } from '../../src/store/cascades.ts';
import type { D1Like } from '../../src/store/db.ts';
import { backfillUsernameKeys } from '../../src/store/username-match.ts';
import { findUserByIdOrUsername, insertUser, type User, UsernameTakenError } from '../../src/store/users.ts';
import { type Actor, recordAdminEvent } from './admin-audit.ts';
import { CliError } from './cli-error.ts';

export interface UserRegistration {
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  password: string;
}

/** The policy, with the username and, when the caller knows it, BRAND_NAME as context words. */
export function checkNewPassword(password: string, username: string, brandName?: string): void {
  const problem = checkPasswordPolicy(password, { username, brandName });
  if (problem) throw new CliError(problem);
}

export async function resolveUser(db: D1Like, ref: string): Promise<User> {
  const user = await findUserByIdOrUsername(db, ref);
  if (!user) throw new CliError(`no user with id or username ${JSON.stringify(ref)}`);
  return user;
}

/** Checks everything but the password without touching the database. */
export function checkUserRegistration(r: Omit<UserRegistration, 'password'>): void {
  const usernameProblem = checkUsername(r.username);
  if (usernameProblem) throw new CliError(usernameProblem);
  if (r.email !== null && !isEmailAddress(r.email)) throw new CliError(`${JSON.stringify(r.email)} is not an e-mail address`);
  if (r.emailVerified && r.email === null) throw new CliError('--email-verified needs --email');
  const nameProblem = checkName(r.name?.trim() || '');
  if (nameProblem) throw new CliError(nameProblem);
}

/** `brandName`: the deployment's BRAND_NAME when known, a context word the password policy refuses. */
export async function registerUser(db: D1Like, actor: Actor, peppers: Peppers, r: UserRegistration, brandName?: string): Promise<User> {
  checkUserRegistration(r);
  checkNewPassword(r.password, r.username, brandName);
  const name = r.name?.trim() || null;
  // Rows older than migration 0006 get their key first, so a look-alike of one of them is refused too.
  await backfillUsernameKeys(db);
  let user: User;
  try {
    user = await insertUser(db, {
      username: r.username,
      email: r.email,
      emailVerified: r.emailVerified,
      name,
      passwordHash: await hashPassword(r.password, peppers),
    });
  } catch (error) {
    if (error instanceof UsernameTakenError) throw new CliError(`the username ${JSON.stringify(r.username)} is already taken`);
    throw error;
  }
  await recordAdminEvent(db, actor, 'admin.user.create', { userId: user.id }, { username: user.username });
  return user;
}

/** Sets a new password, ends the user's sessions and revokes their refresh tokens (one batch in the store). */
export async function setUserPassword(db: D1Like, actor: Actor, peppers: Peppers, user: User, password: string, brandName?: string): Promise<void> {
  checkNewPassword(password, user.username, brandName);
  if (!(await replacePassword(db, user.id, await hashPassword(password, peppers)))) {
    throw new CliError(`user ${user.username} no longer exists`);
  }
  await recordAdminEvent(db, actor, 'admin.user.set-password', { userId: user.id }, { username: user.username });
}

/** Disabling also ends the user's sessions and revokes their refresh tokens (one batch in the store). */
export async function setUserEnabled(db: D1Like, actor: Actor, user: User, enabled: boolean): Promise<void> {
  if (!(await setUserDisabled(db, user.id, !enabled))) throw new CliError(`user ${user.username} no longer exists`);
  await recordAdminEvent(db, actor, enabled ? 'admin.user.enable' : 'admin.user.disable', { userId: user.id }, { username: user.username });
}

/** Deletes the user, ends their sessions and revokes their refresh tokens (one batch in the store). */
export async function removeUser(db: D1Like, actor: Actor, user: User): Promise<void> {
  if (!(await deleteUser(db, user.id))) throw new CliError(`user ${user.username} no longer exists`);
  await recordAdminEvent(db, actor, 'admin.user.delete', { userId: user.id }, { username: user.username });
}
