import { keyOf, type KubeObject } from '../kube/types';

/**
 * The PV controller's own copy of each volume and claim (storeObjectUpdate upstream): filled by its
 * workers from the informer and by its own writes, so a sync may see a volume the other worker has not
 * taken in yet. An older resourceVersion never replaces a newer one; the same one passes, so a resync
 * syncs the object again.
 */
export class ControllerStore<T extends KubeObject> {
  private readonly objects = new Map<string, T>();

  /** false when `obj` is older than what the store holds (the caller then skips the sync) */
  update(obj: T): boolean {
    const key = keyOf(obj);
    const held = this.objects.get(key);
    if (held && version(held) > version(obj)) return false;
    this.objects.set(key, obj);
    return true;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  list(): T[] {
    return [...this.objects.values()];
  }
}

function version(obj: KubeObject): number {
  return Number(obj.metadata?.resourceVersion ?? 0);
}
