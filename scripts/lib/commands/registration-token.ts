// `client registration-token create`: an initial access token for CLIENT_REGISTRATION=token (RFC 7591 §3).
import { nowSeconds } from '../../../src/clock.ts';
import { digestToken } from '../../../src/crypto/digest.ts';
import { randomToken } from '../../../src/crypto/random.ts';
import { insertRegistrationToken } from '../../../src/store/registration-tokens.ts';
import { parseDuration, recordAdminEvent } from '../admin-audit.ts';
import { CliError } from '../cli-error.ts';
import { isoTime, printJson, printLines } from '../output.ts';
import type { CommandContext } from './context.ts';

const TOKEN_BYTES = 32;
const DEFAULT_LIFETIME = '7d';
const MIN_SECONDS = 60;
const MAX_SECONDS = 365 * 86_400;

function lifetimeSeconds(value: string | undefined): number {
  const seconds = parseDuration(value ?? DEFAULT_LIFETIME);
  if (seconds === null || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new CliError(`--expires ${value}: use a duration from 1m to 365d, like 30m, 24h or 7d`);
  }
  return seconds;
}

/** Shown once; only its SHA-256 is stored. Usable for any number of registrations until it expires. */
export async function createRegistrationTokenCommand(ctx: CommandContext): Promise<void> {
  const lifetime = lifetimeSeconds(ctx.values.expires);
  const token = randomToken(TOKEN_BYTES);
  const now = nowSeconds();
  const db = await ctx.db();
  await insertRegistrationToken(db, await digestToken(token), now, now + lifetime);
  await recordAdminEvent(db, ctx.actor, 'admin.registration-token.create', {}, { expires_at: isoTime(now + lifetime) });
  if (ctx.json) return printJson({ initial_access_token: token, expires_at: isoTime(now + lifetime) });
  printLines([
    `Created an initial access token; it expires ${isoTime(now + lifetime)}.`,
    `initial_access_token: ${token}`,
    '',
    'With CLIENT_REGISTRATION=token, POST /register accepts it as "Authorization: Bearer <token>" until it expires,',
    'for any number of registrations. Store it now: it is shown only this once (only its hash is kept).',
  ]);
}
