// `user ...` commands: parse options, read passwords safely, call scripts/lib/admin-users.ts, print.
import { listUsers } from '../../../src/store/users.ts';
import {
  checkUserRegistration, registerUser, removeUser, resolveUser, setUserEnabled, setUserPassword,
} from '../admin-users.ts';
import { CliError } from '../cli-error.ts';
import { formatTable, printJson, printLines, userFields, userJson } from '../output.ts';
import { readNewPassword } from '../password-input.ts';
import type { CommandContext } from './context.ts';

export async function createUserCommand(ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  if (v.username === undefined) throw new CliError('user create needs --username NAME');
  const registration = { username: v.username, email: v.email ?? null, emailVerified: v['email-verified'] ?? false, name: v.name ?? null };
  // Everything that can be wrong without the password is checked before anyone types one.
  checkUserRegistration(registration);
  const peppers = await ctx.peppers();
  const password = await readNewPassword(v['password-stdin'] ?? false);
  const user = await registerUser(await ctx.db(), ctx.actor, peppers, { ...registration, password }, await ctx.brandName());
  if (ctx.json) return printJson(userJson(user));
  printLines([`Created user ${user.username}.`, ...userFields(user)]);
}

export async function listUsersCommand(ctx: CommandContext): Promise<void> {
  const users = await listUsers(await ctx.db());
  if (ctx.json) return printJson(users.map(userJson));
  if (users.length === 0) return printLines(['No users.']);
  printLines(formatTable(
    ['USERNAME', 'ID', 'STATUS', 'EMAIL', 'NAME'],
    users.map((u) => [u.username, u.id, u.disabled ? 'disabled' : 'enabled', u.email ?? '-', u.name ?? '-']),
  ));
}

export async function showUserCommand(ctx: CommandContext): Promise<void> {
  const user = await resolveUser(await ctx.db(), ctx.args[0]!);
  if (ctx.json) return printJson(userJson(user));
  printLines(userFields(user));
}

async function setEnabled(ctx: CommandContext, enabled: boolean): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  await setUserEnabled(db, ctx.actor, user, enabled);
  if (ctx.json) return printJson(userJson(await resolveUser(db, user.id)));
  printLines([enabled ? `Enabled user ${user.username}.` : `Disabled user ${user.username}; ended their sessions and revoked their refresh tokens.`]);
}

export const disableUserCommand = (ctx: CommandContext) => setEnabled(ctx, false);
export const enableUserCommand = (ctx: CommandContext) => setEnabled(ctx, true);

export async function setPasswordCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const peppers = await ctx.peppers();
  const password = await readNewPassword(ctx.values['password-stdin'] ?? false);
  await setUserPassword(db, ctx.actor, peppers, user, password, await ctx.brandName());
  if (ctx.json) return printJson({ id: user.id, username: user.username, password_changed: true });
  printLines([`Set a new password for ${user.username}; ended their sessions and revoked their refresh tokens.`]);
}

export async function deleteUserCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  await removeUser(db, ctx.actor, user);
  if (ctx.json) return printJson({ id: user.id, username: user.username, deleted: true });
  printLines([`Deleted user ${user.username} (${user.id}); ended their sessions and revoked their refresh tokens.`]);
}
