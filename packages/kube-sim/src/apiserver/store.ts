/**
 * The in-memory "etcd" of one cluster: objects per resource, one resourceVersion counter for the whole
 * cluster (as etcd's revision), every write published to the watch cache. Objects are copied in and out so
 * that nobody mutates stored state by accident.
 */
import type { KObject } from './registry/types';
import { WatchHub, type StoreEvent } from './watch';

const clone = <T>(v: T): T => structuredClone(v);

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Store {
  private revision = 0;
  private readonly data = new Map<string, Map<string, KObject>>();

  constructor(readonly hub: WatchHub = new WatchHub()) {}

  get resourceVersion(): number {
    return this.revision;
  }

  private bucket(resource: string): Map<string, KObject> {
    let b = this.data.get(resource);
    if (!b) {
      b = new Map();
      this.data.set(resource, b);
    }
    return b;
  }

  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KObject | undefined {
    const o = this.data.get(resource)?.get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Objects of one resource, sorted by namespace/name as etcd keys are. */
  /** `filter` sees the stored object (read-only) so that only the matching ones are copied. */
  list(
    resource: string,
    namespace?: string,
    filter?: (o: KObject) => boolean,
  ): KObject[] {
    const b = this.data.get(resource);
    if (!b) return [];
    const keys = [...b.keys()].sort();
    const out: KObject[] = [];
    for (const k of keys) {
      const o = b.get(k)!;
      if (namespace && o.metadata?.namespace !== namespace) continue;
      if (filter && !filter(o)) continue;
      out.push(clone(o));
    }
    return out;
  }

  count(resource: string): number {
    return this.data.get(resource)?.size ?? 0;
  }

  private write(
    resource: string,
    type: StoreEvent['type'],
    obj: KObject,
    old?: KObject,
  ): KObject {
    this.revision += 1;
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(this.revision);
    const key = objectKey(stored.metadata.namespace, stored.metadata.name);
    if (type === 'DELETED') this.bucket(resource).delete(key);
    else this.bucket(resource).set(key, stored);
    this.hub.publish(resource, {
      type,
      object: clone(stored),
      old,
      rv: this.revision,
    });
    return clone(stored);
  }

  create(resource: string, obj: KObject): KObject {
    return this.write(resource, 'ADDED', obj);
  }

  update(resource: string, obj: KObject, old: KObject): KObject {
    return this.write(resource, 'MODIFIED', obj, old);
  }

  /** Removes the object; the DELETED event carries it with the resourceVersion of the deletion, as etcd does. */
  remove(resource: string, obj: KObject): KObject {
    return this.write(resource, 'DELETED', obj, obj);
  }

  /** Drops every object of a resource without events (its CRD is gone; watchers are closed separately). */
  dropResource(resource: string): void {
    this.data.delete(resource);
    this.hub.reset(resource);
  }
}
