// `user invite --email E`: mails a single-use sign-up link (SIGNUP=invite) and, locally (dev), prints it too.
import { isEmailAddress } from '../../../src/policy/registration.ts';
import { sendInvite } from '../admin-mail.ts';
import { CliError } from '../cli-error.ts';
import { isoTime, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

export async function inviteUserCommand(ctx: CommandContext): Promise<void> {
  const email = ctx.values.email?.trim() ?? '';
  if (!isEmailAddress(email) || email.length > 254) throw new CliError('--email needs an e-mail address');
  const vars = await ctx.vars();
  const remote = ctx.values.remote ?? false;
  const sent = await sendInvite(await ctx.db(), ctx.actor, { vars, remote }, email);
  // The link is a bearer secret: printed only against local (development) state, never for a deployment.
  const link = remote ? null : sent.url;
  if (ctx.json) return printJson({ email, sent: true, transport: sent.transport, expires_at: isoTime(sent.expiresAt), ...(link ? { link } : {}) });
  printLines([
    `Sent an invite to ${email} (${sent.transport}); it works once, until ${isoTime(sent.expiresAt)}.`,
    ...(link ? [`Link (dev): ${link}`] : []),
  ]);
  if (vars.SIGNUP !== 'invite') printLines([`Note: SIGNUP is ${vars.SIGNUP || 'closed (the default)'}; invites are accepted with SIGNUP = "invite".`]);
}
