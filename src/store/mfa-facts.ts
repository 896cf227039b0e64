// What a user's second factors are, as subselects that ride on another read (the sign-in's user, the SSO session).
import type { D1Like } from './db.ts';

/** Enough to decide and offer the second factor; the TOTP secret itself is read only when a code is checked. */
export interface MfaFacts {
  hasPasskey: boolean;
  /** The passkeys' credential ids: the second-factor page's allowCredentials, with no read of its own. */
  passkeyIds: string[];
  totpSince: number | null;
  recoveryCodesLeft: number;
}

export interface MfaFactsRow {
  /** Space-separated credential ids (base64url has no spaces), or null. */
  mfa_passkeys: string | null;
  mfa_totp_since: number | null;
  mfa_codes_left: number | null;
}

/** The three facts as columns of the statement it joins, for the user whose id `idSql` gives (a column or a placeholder). */
export function mfaFactsSql(idSql: string): string {
  return `(SELECT group_concat(credential_id, ' ') FROM passkeys WHERE user_id = ${idSql}) AS mfa_passkeys,
    (SELECT created_at FROM totp_secrets WHERE user_id = ${idSql}) AS mfa_totp_since,
    (SELECT COUNT(*) FROM recovery_codes WHERE user_id = ${idSql} AND used_at IS NULL) AS mfa_codes_left`;
}

export function toMfaFacts(row: MfaFactsRow): MfaFacts {
  const passkeyIds = row.mfa_passkeys ? row.mfa_passkeys.split(' ') : [];
  return { hasPasskey: passkeyIds.length > 0, passkeyIds, totpSince: row.mfa_totp_since ?? null, recoveryCodesLeft: row.mfa_codes_left ?? 0 };
}

/** On their own, in one read: the account page, `user mfa show`, a step that was not handed them. */
export async function findMfaFacts(db: D1Like, userId: string): Promise<MfaFacts> {
  const row = await db.prepare(`SELECT ${mfaFactsSql('?')}`).bind(userId, userId, userId).first<MfaFactsRow>();
  return toMfaFacts(row ?? { mfa_passkeys: null, mfa_totp_since: null, mfa_codes_left: null });
}
