// A new password chosen by its user (required at sign-in): the policy, then the same cascade as an administrator's.
import type { Context } from 'hono';
import { hashPassword } from '../crypto/password.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../middleware/audit.ts';
import { checkPasswordPolicy } from '../policy/password.ts';
import { replacePassword } from '../store/cascades.ts';
import type { User } from '../store/users.ts';

/** Returns why the password is refused, or null once stored (every session ended, refresh tokens revoked). */
export async function changeOwnPassword(c: Context<AppEnv>, user: User, password: string, reason: string): Promise<string | null> {
  const { config, peppers } = c.get('services');
  const problem = checkPasswordPolicy(password, { username: user.username, brandName: config.branding.productName });
  if (problem) return problem;
  await replacePassword(c.env.DB, user.id, await hashPassword(password, peppers));
  recordAudit(c, { type: 'password.change', outcome: 'success', userId: user.id, detail: reason });
  return null;
}
