import { Informer, objectKey, ObjectWithMeta } from './informer';
import type { EndpointSource, ServiceEndpoints } from './serviceEndpoints';

/**
 * An informer over objects held in memory: the unit boundary for tests of the proxy and router, which
 * then run without an API server (their integration tests use a real one).
 */
export class StaticInformer<T extends ObjectWithMeta> implements Informer<T> {
  private readonly objects = new Map<string, T>();
  ready = Promise.resolve();

  constructor(items: T[] = []) {
    items.forEach(item => this.set(item));
  }

  set(item: T): void {
    this.objects.set(
      objectKey(item.metadata?.namespace, item.metadata?.name),
      item,
    );
  }

  delete(namespace: string, name: string): void {
    this.objects.delete(objectKey(namespace, name));
  }

  items(): T[] {
    return [...this.objects.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(objectKey(namespace, name));
  }

  stop(): void {}
}

/** Endpoints held in memory per Service (`namespace/name`), for the same tests. */
export class StaticEndpoints implements EndpointSource {
  private readonly byService = new Map<string, ServiceEndpoints>();

  constructor(entries: Record<string, ServiceEndpoints> = {}) {
    for (const [key, endpoints] of Object.entries(entries))
      this.byService.set(key, endpoints);
  }

  set(namespace: string, name: string, endpoints: ServiceEndpoints): void {
    this.byService.set(objectKey(namespace, name), endpoints);
  }

  get(namespace: string, name: string): ServiceEndpoints | undefined {
    return this.byService.get(objectKey(namespace, name));
  }
}

/** One EndpointSlice's content: these ports, ready and not-ready addresses (an address may have a hostname). */
export function sliceOf(
  ports: Array<{ name?: string; port: number; protocol?: string }>,
  ready: Array<string | { ip: string; hostname?: string }>,
  notReady: string[] = [],
): ServiceEndpoints[number] {
  const endpoint = (
    a: string | { ip: string; hostname?: string },
    ok: boolean,
  ) =>
    typeof a === 'string'
      ? { addresses: [a], conditions: { ready: ok } }
      : { addresses: [a.ip], hostname: a.hostname, conditions: { ready: ok } };
  return {
    ports: ports.map(p => ({ protocol: 'TCP', ...p, name: p.name ?? '' })),
    endpoints: [
      ...ready.map(a => endpoint(a, true)),
      ...notReady.map(a => endpoint(a, false)),
    ],
  };
}
