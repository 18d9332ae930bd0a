import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import type { RestClient } from '../kube/rest';
import { matchesMap } from '../../lib/selectors';
import {
  keyOf,
  type EndpointSlice,
  type Pod,
  type Service,
} from '../kube/types';
import {
  CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  desiredSlices,
  hasSelector,
  sliceLabels,
  slicePrefix,
  type SliceContent,
} from './slices';

/** how soon a sync waiting for its own creations to reach the cache looks again */
const CACHE_WAIT_MS = 100;

/**
 * The EndpointSlice controller: the slices of every Service with a selector list the matching pods.
 * Services without a selector keep the slices their users write. Slices are owned by their Service, so
 * the garbage collector removes them with it, as upstream.
 */
export function startEndpointSliceController(
  ctx: ControllerContext,
): Stoppable {
  const services = ctx.informers.get<Service>(R.services);
  const pods = ctx.informers.get<Pod>(R.pods);
  const slices = ctx.informers.get<EndpointSlice>(R.endpointslices);

  const managedSlices = (ns: string, name: string) =>
    slices
      .list(ns)
      .filter(
        s =>
          s.metadata?.labels?.[SERVICE_NAME_LABEL] === name &&
          s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME,
      );

  // Slices created but not yet in the cache, per Service: a sync that ran before the cache caught up
  // would create them twice under new generated names (upstream's endpointSliceTracker).
  const unseen = new Map<string, Set<string>>();

  async function sync(key: string): Promise<number | undefined> {
    const svc = services.get(key);
    if (!svc || !hasSelector(svc) || svc.metadata?.deletionTimestamp)
      return undefined;
    const [ns, name] = key.split('/');
    const waiting = unseen.get(key);
    if (waiting?.size) return CACHE_WAIT_MS;
    const selected = pods
      .list(ns)
      .filter(p => matchesMap(svc.spec?.selector, p.metadata?.labels));
    const created = await reconcileSlices(
      ctx.rest,
      svc,
      desiredSlices(svc, selected),
      managedSlices(ns, name),
    );
    const notCached = created.filter(n => !slices.getByName(ns, n));
    if (notCached.length) unseen.set(key, new Set(notCached));
    return undefined;
  }

  const queue = ctx.queue('endpointslices', sync);
  const servicesOf = (p: Pod) =>
    services
      .list(p.metadata?.namespace)
      .filter(
        s => hasSelector(s) && matchesMap(s.spec?.selector, p.metadata?.labels),
      )
      .forEach(s => queue.add(keyOf(s)));
  services.addHandlers({
    add: s => queue.add(keyOf(s)),
    update: (_, s) => queue.add(keyOf(s)),
  });
  pods.addHandlers({
    add: servicesOf,
    // Label changes can move a pod out of a Service: both the old and the new selection are resynced.
    update: (old, p) => {
      servicesOf(old);
      servicesOf(p);
    },
    delete: servicesOf,
  });
  // Someone else changing or deleting one of our slices gets it written back.
  const ownerOf = (s: EndpointSlice) => {
    const svcName = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (
      svcName &&
      s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME &&
      services.getByName(s.metadata?.namespace, svcName)
    )
      queue.add(`${s.metadata?.namespace}/${svcName}`);
  };
  slices.addHandlers({
    add: s => {
      const svcKey = `${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME_LABEL]}`;
      const waiting = unseen.get(svcKey);
      if (waiting?.delete(s.metadata?.name ?? '') && waiting.size === 0)
        unseen.delete(svcKey);
    },
    update: (_, s) => ownerOf(s),
    delete: ownerOf,
  });
  return { stop: async () => undefined };
}

/**
 * Brings a Service's slices to the desired content: updates in place, creates what is missing, deletes
 * extras. Returns the names of the slices it created.
 */
async function reconcileSlices(
  rest: RestClient,
  svc: Service,
  desired: SliceContent[],
  existing: EndpointSlice[],
): Promise<string[]> {
  const created: string[] = [];
  const ns = svc.metadata!.namespace!;
  const labels = sliceLabels(svc);
  const owner = {
    apiVersion: 'v1',
    kind: 'Service',
    name: svc.metadata!.name!,
    uid: svc.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
  // slices of an earlier Service of the same name are not reused: they await the garbage collector
  const reusable = existing.filter(s =>
    s.metadata?.ownerReferences?.some(o => o.uid === owner.uid),
  );
  const extra = new Set(reusable);
  for (const want of desired) {
    const body = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      ports: want.ports,
      endpoints: want.endpoints,
    };
    const samePorts = [...extra].find(
      s => JSON.stringify(s.ports ?? []) === JSON.stringify(want.ports),
    );
    const match = samePorts ?? [...extra][0];
    if (!match) {
      const made = await rest.create<EndpointSlice>(R.endpointslices, ns, {
        ...body,
        metadata: {
          generateName: slicePrefix(svc.metadata!.name!),
          namespace: ns,
          labels,
          ownerReferences: [owner],
        },
      });
      created.push(made.metadata!.name!);
      continue;
    }
    extra.delete(match);
    if (upToDate(match, want, labels)) continue;
    // the informer's copy carries the resourceVersion: a stale one is a 409 and the sync is retried
    await rest.update(R.endpointslices, {
      ...match,
      ...body,
      metadata: { ...match.metadata, labels, ownerReferences: [owner] },
    });
  }
  for (const s of extra)
    await rest
      .delete(R.endpointslices, ns, s.metadata!.name!, {
        uid: s.metadata?.uid,
      })
      .catch(e => (isNotFound(e) ? undefined : Promise.reject(e)));
  return created;
}

function upToDate(
  live: EndpointSlice,
  want: SliceContent,
  labels: Record<string, string>,
): boolean {
  const same = (a: unknown, b: unknown) =>
    JSON.stringify(a) === JSON.stringify(b);
  return (
    same(live.ports ?? [], want.ports) &&
    same(live.endpoints ?? [], want.endpoints) &&
    same(live.metadata?.labels ?? {}, labels)
  );
}
