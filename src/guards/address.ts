// Who is asking: the caller's address as Cloudflare reports it, and the unit a per-IP counter counts.
import type { Context } from 'hono';

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
export function clientIp(c: Context): string | null {
  return c.req.header('CF-Connecting-IP') ?? null;
}

/** The unit the per-IP sign-in and user-code counters count (`throttleAddress`). */
export function guesserAddress(c: Context): string | null {
  const ip = clientIp(c);
  return ip ? throttleAddress(ip) : null;
}
