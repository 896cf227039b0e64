// What one change to a user or a client takes with it, each in one D1 batch (one transaction): sessions,
// refresh tokens (and their access tokens), consents. Composed from the statement builders each table's file exports.
import { nowSeconds } from '../clock.ts';
import { deleteClientStatement } from './clients.ts';
import { deleteClientConsentsStatement, deleteUserConsentsStatement } from './consents.ts';
import type { D1Like } from './db.ts';
import { deleteRecoveryCodesStatement } from './recovery-codes.ts';
import { deleteUserPasskeysStatement } from './passkeys.ts';
import { revokeClientRefreshTokensStatements, revokeUserRefreshTokensStatements } from './refresh-tokens.ts';
import { endUserSessionRowsStatement } from './sessions.ts';
import { deleteUserLinksStatement } from './upstream-links.ts';
import { setPasswordChangeRequiredStatement } from './user-email.ts';
import { deleteTotpSecretStatement } from './totp-secrets.ts';
import {
  deleteUserStatement, endUserSessionsAtStatement, setMfaResetAtStatement, setPasswordHashStatement, setUserDisabledStatement,
} from './users.ts';

/** Ends every session of a user, recorded or not: the user's sessions_ended_at, then their rows. */
function endUserSessionsStatements(db: D1Like, userId: string, now: number): D1PreparedStatement[] {
  return [endUserSessionsAtStatement(db, userId, now), endUserSessionRowsStatement(db, userId, now)];
}

/** Returns how many recorded sessions were live. */
export async function endUserSessions(db: D1Like, userId: string, now: number): Promise<number> {
  const [, rows] = await db.batch(endUserSessionsStatements(db, userId, now));
  return rows?.meta.changes ?? 0;
}

/** Ends every session of the user (recorded or not) and revokes their refresh tokens. */
function signOutEverywhereStatements(db: D1Like, id: string, now: number): D1PreparedStatement[] {
  return [...endUserSessionsStatements(db, id, now), ...revokeUserRefreshTokensStatements(db, id, now)];
}

/** "This wasn't me" (a security notice's link): every session ends and every refresh token is revoked, in one batch. */
export async function signOutEverywhere(db: D1Like, id: string): Promise<void> {
  await db.batch(signOutEverywhereStatements(db, id, nowSeconds()));
}

/** Disabling also ends the user's sessions and revokes their refresh tokens, in the same batch. */
export async function setUserDisabled(db: D1Like, id: string, disabled: boolean): Promise<boolean> {
  const now = nowSeconds();
  const [result] = await db.batch([
    setUserDisabledStatement(db, id, disabled, now),
    ...(disabled ? signOutEverywhereStatements(db, id, now) : []),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/**
 * An administrator's new password ends the user's sessions and revokes their refresh tokens in the same batch
 * (OWASP ASVS 3.3.3): whoever knew the old one keeps nothing. updatePasswordHash (users.ts) is the sign-in's rehash.
 * A new password also satisfies a pending `user require-password-change`.
 */
export async function replacePassword(db: D1Like, id: string, passwordHash: string): Promise<boolean> {
  const now = nowSeconds();
  const [result] = await db.batch([
    setPasswordHashStatement(db, id, passwordHash, now),
    setPasswordChangeRequiredStatement(db, id, false, now),
    ...signOutEverywhereStatements(db, id, now),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Deletes the user and their passkeys, forgets their consents, ends their sessions and revokes their refresh tokens in one batch. */
export async function deleteUser(db: D1Like, id: string): Promise<boolean> {
  const now = nowSeconds();
  const [deleted] = await db.batch([
    deleteUserStatement(db, id), deleteUserConsentsStatement(db, id), deleteUserPasskeysStatement(db, id), deleteUserLinksStatement(db, id), ...deleteSecondFactorsStatements(db, id), ...signOutEverywhereStatements(db, id, now),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

function deleteSecondFactorsStatements(db: D1Like, id: string): D1PreparedStatement[] {
  return [deleteTotpSecretStatement(db, id), deleteRecoveryCodesStatement(db, id)];
}

/**
 * An administrator's MFA reset (`user mfa reset`): TOTP and recovery codes deleted, users.mfa_reset_at set (a
 * remember-device cookie from before it stops counting), and every session ended, in one batch. False when no
 * such user exists.
 */
export async function resetUserMfa(db: D1Like, id: string): Promise<boolean> {
  const now = nowSeconds();
  const [result] = await db.batch([setMfaResetAtStatement(db, id, now), ...deleteSecondFactorsStatements(db, id), ...endUserSessionsStatements(db, id, now)]);
  return (result?.meta.changes ?? 0) > 0;
}

/** Deleting a client revokes its refresh tokens (and their access tokens) and forgets its consents, in one batch. */
export async function deleteClient(db: D1Like, clientId: string): Promise<boolean> {
  const [result] = await db.batch([
    deleteClientStatement(db, clientId),
    ...revokeClientRefreshTokensStatements(db, clientId, nowSeconds()),
    deleteClientConsentsStatement(db, clientId),
  ]);
  return (result?.meta.changes ?? 0) > 0;
}
