import type { AddressPlan } from '../../contracts';

export const MIN_OCTET = 20;
export const MAX_OCTET = 250;

/** The fixed layout of one cluster's 127.N.0.0/16 (see the README's address plan). */
export function addressPlanFor(octet: number): AddressPlan {
  if (!Number.isInteger(octet) || octet < MIN_OCTET || octet > MAX_OCTET) {
    throw new RangeError(
      `kube-sim: address plan octet must be an integer in ${MIN_OCTET}..${MAX_OCTET}, got ${octet}`,
    );
  }
  const p = `127.${octet}`;
  return {
    octet,
    nodeIP: `${p}.0.1`,
    routerIP: `${p}.0.2`,
    podRange: { first: `${p}.1.1`, last: `${p}.63.254` },
    serviceRange: { first: `${p}.64.1`, last: `${p}.127.254` },
    loadBalancerRange: { first: `${p}.128.1`, last: `${p}.128.254` },
  };
}

export function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((acc, part) => {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255)
      throw new Error(`not an IPv4 address: ${ip}`);
    return acc * 256 + n;
  }, 0);
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function inRange(
  ip: string,
  range: { first: string; last: string },
): boolean {
  try {
    const n = ipToNumber(ip);
    return n >= ipToNumber(range.first) && n <= ipToNumber(range.last);
  } catch {
    return false;
  }
}

/** Only loopback addresses may ever be listened on or connected to by kube-sim. */
export function isLoopback(ip: string): boolean {
  try {
    return ipToNumber(ip) >>> 24 === 127;
  } catch {
    return false;
  }
}
