// `user mfa show|reset USER`: a user's second factors as an operator sees them, and the reset for a lost device.
import { resetUserMfa } from '../../../src/store/cascades.ts';
import { findMfaFacts } from '../../../src/store/mfa-facts.ts';
import { recordAdminEvent } from '../admin-audit.ts';
import { resolveUser } from '../admin-users.ts';
import { CliError } from '../cli-error.ts';
import { printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export async function showMfaCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const facts = await findMfaFacts(db, user.id);
  if (ctx.json) {
    return printJson({
      id: user.id, username: user.username,
      totp: { enabled: facts.totpSince !== null, enabled_at: facts.totpSince === null ? null : iso(facts.totpSince) },
      recovery_codes_remaining: facts.recoveryCodesLeft,
    });
  }
  printLines([
    `user            ${user.username} (${user.id})`,
    `totp            ${facts.totpSince === null ? 'off' : `on since ${iso(facts.totpSince)}`}`,
    `recovery codes  ${facts.recoveryCodesLeft} unused`,
  ]);
}

/** For a user who lost their authenticator: they sign in with the password alone, then enrol again. */
export async function resetMfaCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const before = await findMfaFacts(db, user.id);
  if (!(await resetUserMfa(db, user.id))) throw new CliError(`user ${user.username} no longer exists`);
  await recordAdminEvent(db, ctx.actor, 'admin.user.mfa_reset', { userId: user.id }, {
    username: user.username, totp: before.totpSince !== null, recovery_codes_removed: before.recoveryCodesLeft,
  });
  if (ctx.json) return printJson({ id: user.id, username: user.username, mfa_reset: true });
  printLines([`Reset the second factors of ${user.username}: removed TOTP and recovery codes, ended their sessions.`]);
}
