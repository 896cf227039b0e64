// What a user's second factors are, as subselects that ride on another read (the sign-in's user, the SSO session).
import type { D1Like } from './db.ts';

/** Enough to decide and offer the second factor; the TOTP secret itself is read only when a code is checked. */
export interface MfaFacts {
  hasPasskey: boolean;
  totpSince: number | null;
  recoveryCodesLeft: number;
}

export interface MfaFactsRow {
  mfa_passkey: number | null;
  mfa_totp_since: number | null;
  mfa_codes_left: number | null;
}

/** The three facts as columns of the statement it joins, for the user whose id `idSql` gives (a column or a placeholder). */
export function mfaFactsSql(idSql: string): string {
  return `EXISTS (SELECT 1 FROM passkeys WHERE user_id = ${idSql}) AS mfa_passkey,
    (SELECT created_at FROM totp_secrets WHERE user_id = ${idSql}) AS mfa_totp_since,
    (SELECT COUNT(*) FROM recovery_codes WHERE user_id = ${idSql} AND used_at IS NULL) AS mfa_codes_left`;
}

export function toMfaFacts(row: MfaFactsRow): MfaFacts {
  return { hasPasskey: row.mfa_passkey === 1, totpSince: row.mfa_totp_since ?? null, recoveryCodesLeft: row.mfa_codes_left ?? 0 };
}

/** On their own, in one read: the account page, `user mfa show`, a step that was not handed them. */
export async function findMfaFacts(db: D1Like, userId: string): Promise<MfaFacts> {
  const row = await db.prepare(`SELECT ${mfaFactsSql('?')}`).bind(userId, userId, userId).first<MfaFactsRow>();
  return row ? toMfaFacts(row) : { hasPasskey: false, totpSince: null, recoveryCodesLeft: 0 };
}
