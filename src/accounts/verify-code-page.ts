// The code half of email verification: the page later flows show after mailing (sign-up, an email change), and its form.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { openPageEnvelope, sealPageEnvelope } from '../interaction/transaction.ts';
import type { User } from '../store/users.ts';
import { VerifyCodePage } from '../ui/email-verify.ts';

const VERIFY_CODE_TYP = 'email-code+jwt';

/** The code page for a user whose verification mail was just sent; the form names the user in a sealed envelope. */
export async function showVerifyCodePage(c: Context<AppEnv>, user: Pick<User, 'id' | 'email'>, error: string | null = null, status: 200 | 400 | 429 = 200) {
  const envelope = await sealPageEnvelope(c, VERIFY_CODE_TYP, { uid: user.id, email: user.email });
  c.status(status);
  return c.html(VerifyCodePage({ branding: c.get('services').config.branding, envelope, email: user.email ?? '', error }));
}

/** The user id and address the posted code form names; null when absent, altered or expired. */
export async function openVerifyCodeForm(c: Context<AppEnv>, token: string | null): Promise<{ id: string; email: string } | null> {
  const claims = await openPageEnvelope(c, VERIFY_CODE_TYP, token);
  return typeof claims?.uid === 'string' && typeof claims.email === 'string' ? { id: claims.uid, email: claims.email } : null;
}
