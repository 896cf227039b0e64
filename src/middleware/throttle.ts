// Throttling of password, client-secret and user-code guessing (docs/security.md): sign-in attempts in
// Durable Objects (exact, near the user), client-auth failures and user codes in D1 atomic counters.
import type { Context } from 'hono';
import { digestToken } from '../crypto/digest.ts';
import type { AppEnv } from '../env.ts';
import { usernameKey } from '../policy/unicode.ts';
import { nowSeconds } from '../clock.ts';
import { StorageUnavailableError } from '../store/guard.ts';
import { countAttempt, countAttempts, releaseAttempt } from '../store/rate-limits.ts';
import { attemptCounter } from '../store/throttle-counter.ts';
import { recordAudit } from './audit.ts';

const HEXTET = /^[0-9a-f]{1,4}$/;
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address in dotted-quad form as its four octets, or null. */
function ipv4Octets(text: string): number[] | null {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** An IPv6 address as its eight 16-bit groups (a trailing dotted IPv4 gives the last two), or null. */
function ipv6Groups(address: string): number[] | null {
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string | undefined, last: boolean): number[] | null => {
    const groups: number[] = [];
    const parts = half ? half.split(':') : [];
    for (const [i, part] of parts.entries()) {
      if (HEXTET.test(part)) groups.push(parseInt(part, 16));
      else {
        const octets = last && i === parts.length - 1 ? ipv4Octets(part) : null;
        if (!octets) return null;
        groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      }
    }
    return groups;
  };
  const compressed = halves.length === 2;
  const head = parse(halves[0], !compressed);
  const tail = compressed ? parse(halves[1], true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<number>(compressed ? missing : 0).fill(0), ...tail];
}

/**
 * What the per-IP sign-in and user-code counters count: an IPv4 address as it is, an IPv6 address by its /64.
 * A /64 is what one subscriber (a home, a phone, a server) is given, and any host in it can use any of its 2^64
 * addresses, so counting exact IPv6 addresses would let one guesser rotate past the limits. IPv4 carried in
 * IPv6 (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96) counts as that IPv4 address. Anything unparseable is
 * counted as the exact string.
 */
export function throttleAddress(ip: string): string {
  const address = ip.trim().toLowerCase();
  if (!address.includes(':')) return address;
  const g = ipv6Groups(address);
  if (!g) return address;
  const embedsIpv4 =
    (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0));
  if (embedsIpv4) return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** Cloudflare sets CF-Connecting-IP on every request; it is absent only under local tools. */
function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header('CF-Connecting-IP') ?? null;
}

/** The unit the per-IP sign-in and user-code counters count (`throttleAddress`). */
function guesserAddress(c: Context<AppEnv>): string | null {
  const ip = clientIp(c);
  return ip ? throttleAddress(ip) : null;
}

async function key(purpose: string, kind: string, subject: string): Promise<string> {
  return `${purpose}:${kind}:${await digestToken(subject)}`;
}

export interface LoginReservation {
  throttled: boolean;
  accountKey: string;
  ipKey: string | null;
}

function counterFailed(err: unknown): never {
  throw new StorageUnavailableError('attempt counter failed', { cause: err });
}

/**
 * Counts this attempt against the account and the client IP before any password is checked. Each
 * counter is one Durable Object handling requests in order, so N parallel guesses see distinct counts:
 * exactly the limit get a PBKDF2 and the rest are refused at once.
 */
export async function reserveLoginAttempt(c: Context<AppEnv>, username: string, clientId: string): Promise<LoginReservation> {
  const { throttle } = c.get('services').config;
  const ip = guesserAddress(c);
  const accountKey = await key('login', 'account', usernameKey(username));
  const ipKey = ip ? await key('login', 'ip', ip) : null;
  const now = nowSeconds();
  const [account = 0, perIp = 0] = await Promise.all(
    (ipKey ? [accountKey, ipKey] : [accountKey]).map((k) => attemptCounter(c.env.THROTTLE, k).attempt(throttle.windowSeconds, now)),
  ).catch(counterFailed);
  const throttled = account > throttle.loginPerAccount || (ipKey !== null && perIp > throttle.loginPerIp);
  if (throttled) recordAudit(c, { type: 'login.throttled', outcome: 'failure', clientId, detail: account > throttle.loginPerAccount ? 'account' : 'ip' });
  return { throttled, accountKey, ipKey };
}

/** A successful login resets the account's counter and gives the IP its attempt back. */
export function loginSucceeded(c: Context<AppEnv>, r: LoginReservation): void {
  c.executionCtx.waitUntil(
    Promise.all([
      attemptCounter(c.env.THROTTLE, r.accountKey).reset(),
      r.ipKey ? attemptCounter(c.env.THROTTLE, r.ipKey).release() : null,
    ]).catch(() => undefined),
  );
}

export interface ClientAuthFailure {
  /** Seconds until the pair's window ends, once it is past the limit (RFC 9110 §10.2.3 Retry-After); else null. */
  retryAfterSeconds: number | null;
  /** True for the one failure that took the pair past the limit in this window. */
  crossedLimit: boolean;
}

/**
 * Counts a failed client authentication for the pair (client id, caller's exact address) in D1, after the
 * secret was compared: a correct secret never consults this. Neither a shared address nor a public client id
 * lets one caller hold back anyone else. The exact address, not its /64: secrets are 256-bit random, so
 * rotating addresses gains a guesser nothing. The count runs under waitUntil so that a caller hanging up
 * cannot cancel it.
 */
export async function countClientAuthFailure(c: Context<AppEnv>, clientId: string): Promise<ClientAuthFailure> {
  const { throttle } = c.get('services').config;
  const now = nowSeconds();
  const pairKey = await key('client', 'pair', JSON.stringify([clientId, clientIp(c) ?? '']));
  const counted = countAttempt(c.env.DB, pairKey, throttle.windowSeconds, now);
  c.executionCtx.waitUntil(counted.catch(() => undefined));
  const { count, windowStart } = await counted;
  if (count <= throttle.clientAuthFailures) return { retryAfterSeconds: null, crossedLimit: false };
  return { retryAfterSeconds: Math.max(1, windowStart + throttle.windowSeconds - now), crossedLimit: count === throttle.clientAuthFailures + 1 };
}

/** User-code guessing on the device verification page: counted per IP before the code is looked up. */
export async function reserveUserCodeAttempt(c: Context<AppEnv>): Promise<{ throttled: boolean; ipKey: string | null }> {
  const { throttle } = c.get('services').config;
  const ip = guesserAddress(c);
  if (!ip) return { throttled: false, ipKey: null };
  const ipKey = await key('device', 'ip', ip);
  const [count = 0] = await countAttempts(c.env.DB, [ipKey], throttle.windowSeconds, nowSeconds());
  if (count > throttle.deviceCodePerIp) recordAudit(c, { type: 'device.throttled', outcome: 'failure' });
  return { throttled: count > throttle.deviceCodePerIp, ipKey };
}

export function userCodeAccepted(c: Context<AppEnv>, ipKey: string | null): void {
  if (ipKey) c.executionCtx.waitUntil(releaseAttempt(c.env.DB, ipKey).catch(() => undefined));
}
