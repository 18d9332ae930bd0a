import type { KubeConfig } from '@kubernetes/client-node';
import { Informer as Reflector } from '../../controllers/kube/informer';
import type { ResourceRef } from '../../controllers/kube/resources';
import type { RestClient } from '../../controllers/kube/rest';
import type { KubeObject } from '../../controllers/kube/types';

/** The parts of an object the informer needs; everything else is the caller's type. */
export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export interface InformerOptions {
  kubeConfig: KubeConfig;
  rest: RestClient;
  resource: ResourceRef;
  /** called after every change of the cache (add, modify, delete, and each object a re-list delivers) */
  onChange(): void;
  onError?(err: unknown): void;
}

/** What the proxy and router read: a cache of one resource across all namespaces. */
export interface Informer<T> {
  /** resolves after the first successful list */
  ready: Promise<void>;
  items(): T[];
  get(namespace: string | undefined, name: string): T | undefined;
  /** resolves once nothing of the informer runs any more */
  stop(): void | Promise<void>;
}

export function objectKey(
  namespace: string | undefined,
  name: string | undefined,
): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/**
 * The controllers' list-then-watch informer (resume from the last resourceVersion, re-list on 410 Gone)
 * behind the network's smaller interface. The network reconciles everything on any change, so the
 * per-object handlers collapse into one onChange; it resyncs on its own timer, so no informer resync.
 */
export function startInformer<T extends ObjectWithMeta>(
  opts: InformerOptions,
): Informer<T> & {
  stop(): Promise<void>;
  stats: Reflector<KubeObject>['stats'];
} {
  const reflector = new Reflector<KubeObject>(
    opts.kubeConfig,
    opts.rest,
    opts.resource,
    { onError: opts.onError },
  );
  const changed = () => opts.onChange();
  reflector.addHandlers({ add: changed, update: changed, delete: changed });
  void reflector.start();
  // The cache holds the objects as the API server sent them; T is the caller's view of that JSON
  // (client-node's models type timestamps as Date, which the network never reads as one).
  return {
    ready: reflector.hasSynced(),
    items: () => reflector.list() as unknown as T[],
    get: (namespace, name) =>
      reflector.getByName(namespace, name) as unknown as T | undefined,
    stop: () => reflector.stop(),
    stats: reflector.stats,
  };
}
