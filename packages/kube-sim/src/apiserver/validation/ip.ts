/**
 * IP parsing and the special ranges of Go's net.IP (IsUnspecified, IsLoopback, IsLinkLocalUnicast,
 * IsLinkLocalMulticast), which the real server's ValidateNonSpecialIP uses for Endpoints and
 * EndpointSlices. Bytes are kept in the 16-byte form, IPv4 as an IPv4-mapped address as Go does.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { type FieldError, invalid } from '../errors';

export type IPBytes = number[];

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function v4Bytes(s: string): IPBytes {
  return [...V4_PREFIX, ...s.split('.').map(Number)];
}

function groupsOf(part: string): number[] {
  if (!part) return [];
  const out: number[] = [];
  for (const g of part.split(':')) {
    if (g.includes('.')) {
      const [a, b, c, d] = g.split('.').map(Number);
      out.push((a << 8) | b, (c << 8) | d);
    } else out.push(parseInt(g, 16));
  }
  return out;
}

function v6Bytes(s: string): IPBytes {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = groupsOf(head);
  const t = tail === undefined ? [] : groupsOf(tail);
  const zeros = new Array(8 - h.length - t.length).fill(0);
  return [...h, ...zeros, ...t].flatMap(g => [g >> 8, g & 0xff]);
}

/** net.ParseIP: the 16-byte form, or undefined when the string is not an IP address. */
export function parseIP(s: unknown): IPBytes | undefined {
  if (typeof s !== 'string') return undefined;
  if (isIPv4(s)) return v4Bytes(s);
  if (isIPv6(s) && !s.includes('%')) return v6Bytes(s);
  return undefined;
}

/** net.IP.To4: the four bytes of an IPv4 (or IPv4-mapped) address */
export function to4(ip: IPBytes): number[] | undefined {
  return V4_PREFIX.every((b, i) => ip[i] === b) ? ip.slice(12) : undefined;
}

const isZero = (bs: number[]) => bs.every(b => b === 0);

function special(ip: IPBytes): string | undefined {
  const v4 = to4(ip);
  if (v4 ? isZero(v4) : isZero(ip)) return 'unspecified';
  if (v4 ? v4[0] === 127 : isZero(ip.slice(0, 15)) && ip[15] === 1)
    return 'loopback';
  if (
    v4
      ? v4[0] === 169 && v4[1] === 254
      : ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80
  )
    return 'link-local';
  if (
    v4
      ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0
      : ip[0] === 0xff && (ip[1] & 0x0f) === 0x02
  )
    return 'link-local multicast';
  return undefined;
}

/** Is the address in 127.0.0.0/8 or ::1? */
export const isLoopback = (ip: IPBytes) => special(ip) === 'loopback';

/**
 * ValidateNonSpecialIP: unspecified, loopback and link-local addresses make no sense as endpoints
 * (link-local ones are used for node-centric purposes such as a metadata service).
 */
export function nonSpecialIP(
  value: string,
  ip: IPBytes,
  field: string,
): FieldError[] {
  switch (special(ip)) {
    case 'unspecified':
      return [invalid(field, value, `may not be unspecified (${value})`)];
    case 'loopback':
      return [
        invalid(
          field,
          value,
          'may not be in the loopback range (127.0.0.0/8, ::1/128)',
        ),
      ];
    case 'link-local':
      return [
        invalid(
          field,
          value,
          'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
        ),
      ];
    case 'link-local multicast':
      return [
        invalid(
          field,
          value,
          'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
        ),
      ];
    default:
      return [];
  }
}
