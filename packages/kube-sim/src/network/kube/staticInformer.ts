import { Informer, objectKey, ObjectWithMeta } from './informer';

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
