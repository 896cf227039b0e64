// `user passkey ...` commands: a user's passkeys listed (never their keys) and one deleted, audited.
import { deletePasskey, listUserPasskeys, type Passkey } from '../../../src/store/passkeys.ts';
import { recordAdminEvent } from '../admin-audit.ts';
import { resolveUser } from '../admin-users.ts';
import { CliError } from '../cli-error.ts';
import { formatTable, isoTime, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

const ALGORITHMS: Record<number, string> = { [-7]: 'ES256', [-8]: 'EdDSA', [-257]: 'RS256' };

function passkeyJson(p: Passkey) {
  return {
    id: p.credentialId, nickname: p.nickname, algorithm: ALGORITHMS[p.algorithm] ?? String(p.algorithm), sign_count: p.signCount,
    transports: p.transports, aaguid: p.aaguid, backup_eligible: p.backupEligible, backed_up: p.backedUp,
    created_at: isoTime(p.createdAt), last_used_at: p.lastUsedAt === null ? null : isoTime(p.lastUsedAt),
  };
}

export async function listPasskeysCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const passkeys = await listUserPasskeys(db, user.id);
  if (ctx.json) return printJson(passkeys.map(passkeyJson));
  if (passkeys.length === 0) return printLines([`${user.username} has no passkeys.`]);
  printLines(formatTable(
    ['ID', 'NICKNAME', 'ALG', 'CREATED', 'LAST USED', 'SYNCED'],
    passkeys.map((p) => [p.credentialId, p.nickname, ALGORITHMS[p.algorithm] ?? String(p.algorithm), isoTime(p.createdAt), p.lastUsedAt === null ? 'never' : isoTime(p.lastUsedAt), p.backedUp ? 'yes' : 'no']),
  ));
}

export async function deletePasskeyCommand(ctx: CommandContext): Promise<void> {
  const db = await ctx.db();
  const user = await resolveUser(db, ctx.args[0]!);
  const id = ctx.args[1]!;
  if (!(await deletePasskey(db, user.id, id))) throw new CliError(`${user.username} has no passkey ${id} (see: user passkey list ${user.username})`);
  await recordAdminEvent(db, ctx.actor, 'admin.user.passkey-delete', { userId: user.id }, { username: user.username, passkey: id });
  if (ctx.json) return printJson({ id, user_id: user.id, username: user.username, deleted: true });
  printLines([`Deleted passkey ${id} of ${user.username}.`]);
}
