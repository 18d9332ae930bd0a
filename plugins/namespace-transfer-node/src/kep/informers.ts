import {
  CoreV1Api,
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import {
  APPROVALS,
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  type NamespaceTransferApproval,
  type NamespaceTransferRequest,
} from './types';

/** What the controller is told of: each object added, changed or deleted. */
export interface KepWatchHandlers {
  request(r: NamespaceTransferRequest): void;
  approval(a: NamespaceTransferApproval): void;
  claim(c: V1PersistentVolumeClaim): void;
}

/** The caches of the three kinds the controller watches, all namespaces. */
export interface KepCaches {
  /** resolves once every kind was listed */
  ready: Promise<void>;
  requests(): NamespaceTransferRequest[];
  request(
    namespace: string,
    name: string,
  ): NamespaceTransferRequest | undefined;
  approvals(namespace: string): NamespaceTransferApproval[];
  claims(namespace: string): V1PersistentVolumeClaim[];
  stop(): Promise<void>;
}

/**
 * Lists and watches requests, approvals and claims (story 1: a claim whose dataSourceRef names a request) in
 * every namespace, and restarts a watch that ended (dropped, 410 Gone, server away) with a fresh list.
 */
export function watchKepObjects(
  kc: KubeConfig,
  on: KepWatchHandlers,
  o: { restartDelayMs?: number; log: (m: string) => void },
): KepCaches {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const base = `/apis/${KEP_GROUP}/${KEP_VERSION}`;
  const listKep = (plural: string) => async () =>
    (await custom.listClusterCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural,
    })) as KubernetesListObject<KubernetesObject>;
  const requests = makeInformer(kc, `${base}/${REQUESTS}`, listKep(REQUESTS));
  const approvals = makeInformer(
    kc,
    `${base}/${APPROVALS}`,
    listKep(APPROVALS),
  );
  const claims = makeInformer(kc, '/api/v1/persistentvolumeclaims', () =>
    core.listPersistentVolumeClaimForAllNamespaces(),
  );
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // ListWatch.start() clears the informer's own stopped flag: a stop() that came while it listed would
  // leave its watch open, so this one decides, before and after
  const startUnlessStopped = async (inf: Informer<KubernetesObject>) => {
    if (stopped) return;
    await inf.start();
    if (stopped) await inf.stop();
  };
  const informers = [
    approvals,
    claims,
    requests,
  ] as Informer<KubernetesObject>[];
  const watch = (
    inf: Informer<KubernetesObject>,
    what: string,
    handler: (x: never) => void,
  ) => {
    const call = (x: KubernetesObject) => handler(x as never);
    for (const event of ['add', 'update', 'delete'] as const)
      inf.on(event, call);
    const restart = () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        startUnlessStopped(inf).catch(e => {
          if (stopped) return;
          o.log(`${what} restart failed (${String(e)}), trying again`);
          restart();
        });
      }, o.restartDelayMs ?? 1000);
      timers.add(timer);
    };
    // the informer stops on a dropped watch or 410 Gone: a fresh list and watch resumes it
    inf.on('error', (err: unknown) => {
      if (stopped) return;
      o.log(`${what} watch ended (${String(err)}), restarting`);
      restart();
    });
  };
  watch(requests, REQUESTS, on.request);
  watch(approvals, APPROVALS, on.approval);
  watch(claims, 'persistentvolumeclaims', on.claim);
  // approvals and claims first, so the first requests seen are decided on full caches
  const ready = startUnlessStopped(approvals)
    .then(() => startUnlessStopped(claims))
    .then(() => startUnlessStopped(requests));
  const cast = <T>(xs: readonly unknown[]) => xs as unknown as T[];
  return {
    ready,
    requests: () => cast<NamespaceTransferRequest>(requests.list()),
    request: (namespace, name) =>
      requests.get(name, namespace) as unknown as
        NamespaceTransferRequest | undefined,
    approvals: ns => cast<NamespaceTransferApproval>(approvals.list(ns)),
    claims: ns => cast<V1PersistentVolumeClaim>(claims.list(ns)),
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // a start under way would open its watch after a stop now
      await ready.catch(() => undefined);
      await Promise.allSettled(informers.map(i => i.stop()));
    },
  };
}
