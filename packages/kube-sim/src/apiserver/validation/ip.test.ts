import { isLoopback, nonSpecialIP, parseIP, to4 } from './ip';

describe('IP parsing and special ranges', () => {
  const detail = (s: string) =>
    nonSpecialIP(s, parseIP(s)!, 'f').map(e => e.detail);

  it('parses IPv4, IPv6 and IPv4-mapped addresses into 16 bytes', () => {
    expect(to4(parseIP('10.1.2.3')!)).toEqual([10, 1, 2, 3]);
    expect(to4(parseIP('::ffff:10.1.2.3')!)).toEqual([10, 1, 2, 3]);
    expect(to4(parseIP('2001:db8::1')!)).toBeUndefined();
    expect(parseIP('2001:db8::1')!.slice(0, 4)).toEqual([
      0x20, 0x01, 0x0d, 0xb8,
    ]);
    expect(parseIP('2001:db8::1')![15]).toBe(1);
    for (const bad of ['10.0.0.256', '1.2.3', 'fe80::1%eth0', 'host', 7])
      expect(parseIP(bad)).toBeUndefined();
  });

  it('classifies the ranges Go calls special, for both families', () => {
    expect(isLoopback(parseIP('127.200.0.1')!)).toBe(true);
    expect(isLoopback(parseIP('::ffff:127.0.0.1')!)).toBe(true);
    expect(isLoopback(parseIP('::1')!)).toBe(true);
    expect(isLoopback(parseIP('::2')!)).toBe(false);
    expect(detail('::')).toEqual(['may not be unspecified (::)']);
    expect(detail('febf::1')).toEqual([
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ]);
    expect(detail('fec0::1')).toEqual([]);
    expect(detail('ff32::1')).toEqual([
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    expect(detail('224.0.1.1')).toEqual([]);
    expect(detail('10.0.0.1')).toEqual([]);
  });
});
