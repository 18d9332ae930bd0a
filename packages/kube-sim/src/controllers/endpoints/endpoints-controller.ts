import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { R } from '../kube/resources';
import { isAlreadyExists, isNotFound } from '../kube/rest';
import { matchesMap } from '../../lib/selectors';
import { keyOf, type Endpoints, type Pod, type Service } from '../kube/types';
import { computeSubsets } from './subsets';

/**
 * The endpoints controller: an Endpoints object per Service with a selector, listing the matching pods.
 * Services without a selector keep the Endpoints their users write.
 */
export function startEndpointsController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const services = ctx.informers.get<Service>(R.services);
  const pods = ctx.informers.get<Pod>(R.pods);
  const endpoints = ctx.informers.get<Endpoints>(R.endpoints);

  async function sync(key: string): Promise<void> {
    const svc = services.get(key);
    const [ns, name] = key.split('/');
    if (!svc) {
      // The Service is gone: its Endpoints go with it (they carry no ownerReference upstream either).
      const ep = endpoints.get(key);
      if (ep)
        await rest
          .delete(R.endpoints, ns, name, { uid: ep.metadata?.uid })
          .catch(e => (isNotFound(e) ? undefined : Promise.reject(e)));
      return;
    }
    if (!svc.spec?.selector || svc.metadata?.deletionTimestamp) return;
    const selected = pods
      .list(ns)
      .filter(p => matchesMap(svc.spec?.selector, p.metadata?.labels));
    const subsets = computeSubsets(svc, selected);
    const labels = { ...svc.metadata?.labels };
    const cached = endpoints.get(key);
    if (
      cached &&
      JSON.stringify(cached.subsets ?? []) === JSON.stringify(subsets) &&
      JSON.stringify(cached.metadata?.labels ?? {}) === JSON.stringify(labels)
    )
      return;
    if (!cached) {
      try {
        await rest.create(R.endpoints, ns, {
          metadata: { name, namespace: ns, labels },
          subsets,
        });
        return;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
    }
    await retryOnConflict(async () => {
      const live = await rest.get<Endpoints>(R.endpoints, ns, name);
      return rest.update(R.endpoints, {
        ...live,
        metadata: { ...live.metadata, labels },
        subsets,
      });
    });
  }

  const queue = ctx.queue('endpoints', sync);
  const servicesOf = (p: Pod) =>
    services
      .list(p.metadata?.namespace)
      .filter(
        s =>
          s.spec?.selector && matchesMap(s.spec.selector, p.metadata?.labels),
      )
      .forEach(s => queue.add(keyOf(s)));
  services.addHandlers({
    add: s => queue.add(keyOf(s)),
    update: (_, s) => queue.add(keyOf(s)),
    delete: s => queue.add(keyOf(s)),
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
  endpoints.addHandlers({
    delete: ep => services.get(keyOf(ep)) && queue.add(keyOf(ep)),
  });
  return { stop: async () => undefined };
}
