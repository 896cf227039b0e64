import { describe, expect, it } from 'vitest';
import { throttleAddress } from '../../src/guards/address.ts';

describe('what a per-IP counter counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2::/64'],
    // IPv4 carried in IPv6 counts as the IPv4 address, however it is written.
    ['::ffff:198.51.100.4', '198.51.100.4'],
    ['0:0:0:0:0:ffff:c000:201', '192.0.2.1'],
    ['::ffff:c000:201', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '192.0.2.1'],
    ['64:ff9b::c000:201', '192.0.2.1'],
  ])('%s counts as %s', (ip, expected) => {
    expect(throttleAddress(ip)).toBe(expected);
  });

  it.each(['2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '2001:db8:1:2:3:4:5', 'fe80::1%eth0x:zz', 'gggg::1', '::ffff:999.1.1.1', '1.2.3.4::1', '2001:db8::1.2.3'])(
    'counts the unparseable %s as itself', (ip) => {
      expect(throttleAddress(ip)).toBe(ip.toLowerCase());
    },
  );
});
