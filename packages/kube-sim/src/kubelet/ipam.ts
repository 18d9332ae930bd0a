/** IPv4 dotted quad ↔ integer. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * Pod IPs from the node's range, one per pod uid. Addresses ending in .0 or .255 are skipped so that
 * every pod IP looks like a host address. Allocation moves forward round-robin, so a released address
 * is not handed out again at once (clients may still hold connections to it).
 */
export class PodIPAllocator {
  private readonly byUid = new Map<string, string>();
  private readonly used = new Set<number>();
  private readonly first: number;
  private readonly last: number;
  private next: number;

  constructor(range: { first: string; last: string }) {
    this.first = ipToInt(range.first);
    this.last = ipToInt(range.last);
    this.next = this.first;
  }

  /** Re-reserves an address a pod already holds (after a kubelet restart). */
  reserve(uid: string, ip: string): boolean {
    const n = ipToInt(ip);
    if (n < this.first || n > this.last || this.used.has(n)) return false;
    this.used.add(n);
    this.byUid.set(uid, ip);
    return true;
  }

  allocate(uid: string): string {
    const existing = this.byUid.get(uid);
    if (existing) return existing;
    const size = this.last - this.first + 1;
    for (let i = 0; i < size; i++) {
      const n = this.next;
      this.next = n >= this.last ? this.first : n + 1;
      const lastOctet = n % 256;
      if (this.used.has(n) || lastOctet === 0 || lastOctet === 255) continue;
      this.used.add(n);
      const ip = intToIp(n);
      this.byUid.set(uid, ip);
      return ip;
    }
    throw new Error('pod IP range exhausted');
  }

  release(uid: string): void {
    const ip = this.byUid.get(uid);
    if (!ip) return;
    this.byUid.delete(uid);
    this.used.delete(ipToInt(ip));
  }
}
