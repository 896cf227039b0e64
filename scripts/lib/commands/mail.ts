// `mail list` and the user commands that mail or act on email: send-reset, send-verification, verify-email,
// require-password-change.
import { nowSeconds } from '../../../src/clock.ts';
import { extractLinks } from '../../../src/mail/links.ts';
import { listOutboxMessages } from '../../../src/store/dev-outbox.ts';
import { markEmailVerified, setPasswordChangeRequired } from '../../../src/store/user-email.ts';
import { recordAdminEvent } from '../admin-audit.ts';
import { sendPasswordReset, sendVerification } from '../admin-mail.ts';
import { resolveUser } from '../admin-users.ts';
import { CliError } from '../cli-error.ts';
import { formatTable, isoTime, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

export async function mailListCommand(ctx: CommandContext): Promise<void> {
  if (ctx.values.remote) throw new CliError('the dev outbox exists only in local state (DEV_MODE)');
  const messages = await listOutboxMessages(await ctx.db(), ctx.values.to, 1000);
  const entries = messages.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, html: m.html, links: extractLinks(m.text, m.html), sentAt: isoTime(m.sentAt) }));
  if (ctx.json) return printJson(entries);
  if (entries.length === 0) return printLines(['No mail in the dev outbox.']);
  printLines([
    ...formatTable(['SENT', 'TO', 'SUBJECT'], entries.map((e) => [e.sentAt, e.to, e.subject])),
    '',
    ...entries.flatMap((e) => [`${e.sentAt} ${e.to}:`, ...e.links.map((l) => `  ${l}`)]),
  ]);
}

async function mailSetup(ctx: CommandContext) {
  return { vars: await ctx.vars(), remote: ctx.values.remote ?? false };
}

export async function sendResetCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const transport = await sendPasswordReset(db, ctx.actor, await mailSetup(ctx), user);
  if (ctx.json) return printJson({ id: user.id, username: user.username, to: user.email, sent: true, transport });
  printLines([`Sent a password reset link to ${user.email} (${transport}).`]);
}

export async function sendVerificationCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const transport = await sendVerification(db, ctx.actor, await mailSetup(ctx), user);
  if (ctx.json) return printJson({ id: user.id, username: user.username, to: user.email, sent: true, transport });
  printLines([`Sent a verification link and code to ${user.email} (${transport}).`]);
}

export async function verifyEmailCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  if (!user.email) throw new CliError(`user ${user.username} has no email address`);
  if (!(await markEmailVerified(db, user.id, user.email, nowSeconds()))) throw new CliError(`user ${user.username} changed since it was read`);
  await recordAdminEvent(db, ctx.actor, 'admin.user.verify-email', { userId: user.id }, { username: user.username });
  if (ctx.json) return printJson({ id: user.id, username: user.username, email: user.email, email_verified: true });
  printLines([`Marked ${user.email} verified for ${user.username}.`]);
}

export async function requirePasswordChangeCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  if (!(await setPasswordChangeRequired(db, user.id, true, nowSeconds()))) throw new CliError(`user ${user.username} no longer exists`);
  await recordAdminEvent(db, ctx.actor, 'admin.user.require-password-change', { userId: user.id }, { username: user.username });
  if (ctx.json) return printJson({ id: user.id, username: user.username, password_change_required: true });
  printLines([`${user.username} must choose a new password at their next sign-in.`]);
}
