import { inRange, ipToNumber, numberToIp } from '../address/addressPlan';

/**
 * Hands out LoadBalancer ingress IPs from the cluster's range, one per Service (by UID, so a Service
 * deleted and re-created with the same name gets a fresh address, as with a cloud load balancer).
 */
export class LoadBalancerAllocator {
  private readonly byOwner = new Map<string, string>();
  private readonly taken = new Map<string, string>();

  constructor(private readonly range: { first: string; last: string }) {}

  get(owner: string): string | undefined {
    return this.byOwner.get(owner);
  }

  /**
   * The owner's address: the one it already has, else `preferred` when it is in range and free (an
   * address seen in the Service's status after a restart, or spec.loadBalancerIP), else the lowest free.
   */
  allocate(owner: string, preferred?: string[]): string | undefined {
    const existing = this.byOwner.get(owner);
    if (existing) return existing;
    for (const ip of preferred ?? []) {
      if (ip && inRange(ip, this.range) && !this.taken.has(ip))
        return this.take(owner, ip);
    }
    for (
      let n = ipToNumber(this.range.first);
      n <= ipToNumber(this.range.last);
      n++
    ) {
      const ip = numberToIp(n);
      if (!this.taken.has(ip)) return this.take(owner, ip);
    }
    return undefined;
  }

  release(owner: string): void {
    const ip = this.byOwner.get(owner);
    if (!ip) return;
    this.byOwner.delete(owner);
    this.taken.delete(ip);
  }

  owners(): string[] {
    return [...this.byOwner.keys()];
  }

  private take(owner: string, ip: string): string {
    this.byOwner.set(owner, ip);
    this.taken.set(ip, owner);
    return ip;
  }
}
