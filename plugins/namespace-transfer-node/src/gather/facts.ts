import {
  CoreV1Api,
  NetworkingV1Api,
  type KubeConfig,
  type V1Namespace,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
  type V1Service,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { Discovery, httpStatus, withRetry } from '../clusters';
import { flowOf, planTransfer, type PlanFacts } from '../plan';
import { checkRights } from './rights';
import { readNamespacePolicy } from './quota';
import type { MoverResourceOptions } from '../pods/resources';
import { withExposureFacts } from './exposure';
import { workloadsUsingClaim } from './workloads';
import {
  readNamespaceSnapshot,
  resolveClaimUsage,
  withoutPodsOf,
} from '../usage';

async function orUndefined<T>(p: () => Promise<T>): Promise<T | undefined> {
  try {
    return await withRetry(p);
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
}

const FORBIDDEN = Symbol('forbidden');

/** Services per list request when looking for LoadBalancer Services across the destination */
const SERVICE_PAGE = 500;

/** For cluster-scoped reads a namespace-scoped identity may not make: 403 becomes "unknown". */
async function orForbidden<T>(
  p: () => Promise<T>,
): Promise<T | undefined | typeof FORBIDDEN> {
  try {
    return await orUndefined(p);
  } catch (e) {
    if (httpStatus(e) === 403) return FORBIDDEN;
    throw e;
  }
}

/** @public */
export interface GatherOptions {
  spec: TransferSpec;
  source: KubeConfig;
  destination: KubeConfig;
  /** a host domain for the ingress endpoint is configured for the destination */
  ingressConfigured?: boolean;
  /** whether the destination has a load balancer; unset: judged from its LoadBalancer Services */
  loadBalancerAvailable?: boolean;
  /**
   * how long the oldest LoadBalancer Service without an address must have waited before the destination
   * counts as having no load balancer (default 5 minutes: longer than a controller takes to assign one)
   */
  loadBalancerGraceMs?: number;
  /** rebind allowed for storage classes without the allow-transfer annotation (the config default) */
  allowTransferDefault?: boolean;
  /** the mover containers' requests and limits (the operator's; the plan adds limits a quota demands) */
  moverResources?: MoverResourceOptions;
}

/**
 * Reads everything planTransfer needs from the two clusters; writes nothing.
 *
 * @public
 */
export async function gatherFacts(o: GatherOptions): Promise<PlanFacts> {
  const { spec } = o;
  const src = o.source.makeApiClient(CoreV1Api);
  const dst = o.destination.makeApiClient(CoreV1Api);
  const srcDiscovery = new Discovery(o.source);
  const dstDiscovery = new Discovery(o.destination);

  const pvc: V1PersistentVolumeClaim | undefined = await orUndefined(() =>
    src.readNamespacedPersistentVolumeClaim({
      name: spec.source.name,
      namespace: spec.source.namespace,
    }),
  );
  const unreadable: NonNullable<PlanFacts['unreadable']> = [];
  const known = <T>(
    v: T | undefined | typeof FORBIDDEN,
    what: NonNullable<PlanFacts['unreadable']>[number],
  ): T | undefined => {
    if (v !== FORBIDDEN) return v;
    unreadable.push(what);
    return undefined;
  };
  const pv: V1PersistentVolume | undefined = pvc?.spec?.volumeName
    ? known(
        await orForbidden(() =>
          src.readPersistentVolume({ name: pvc.spec!.volumeName! }),
        ),
        'persistentVolume',
      )
    : undefined;
  const srcNs: V1Namespace | undefined = known(
    await orForbidden(() => src.readNamespace({ name: spec.source.namespace })),
    'sourceNamespace',
  );
  const dstNs: V1Namespace | undefined = known(
    await orForbidden(() =>
      dst.readNamespace({ name: spec.destination.namespace }),
    ),
    'destinationNamespace',
  );
  const dstNsUsable = dstNs || unreadable.includes('destinationNamespace');
  const srcNsUsable = srcNs || unreadable.includes('sourceNamespace');
  const existing = dstNsUsable
    ? await orUndefined(() =>
        dst.readNamespacedPersistentVolumeClaim({
          name: spec.destination.name,
          namespace: spec.destination.namespace,
        }),
      )
    : undefined;

  const srcOpenshift = await srcDiscovery.isServed('apps.openshift.io/v1');
  const dstOpenshift = await dstDiscovery.isServed('apps.openshift.io/v1');
  // one listing of the source namespace answers every question about who uses the claim
  const usage = srcNsUsable
    ? resolveClaimUsage(
        withoutPodsOf(
          await readNamespaceSnapshot(o.source, spec.source.namespace, {
            openshift: srcOpenshift,
          }),
          spec.id,
        ),
        spec.source.name,
      )
    : undefined;
  const destinationWorkloads = dstNsUsable
    ? await workloadsUsingClaim(
        o.destination,
        spec.destination.namespace,
        spec.destination.name,
        { openshift: dstOpenshift },
      )
    : [];

  const classes = async (d: Discovery) => {
    const c = await orForbidden(() => d.storageClasses());
    if (c === FORBIDDEN) {
      if (!unreadable.includes('storageClasses'))
        unreadable.push('storageClasses');
      return [];
    }
    return c ?? [];
  };
  const sourceClasses = await classes(srcDiscovery);
  const destinationClasses = await classes(dstDiscovery);
  const discovery = await withExposureFacts(
    spec,
    {
      sameCluster: spec.source.cluster === spec.destination.cluster,
      cluster: spec.destination.cluster,
      routeApiServed: await dstDiscovery.routeApiServed(),
      ingressConfigured: o.ingressConfigured ?? false,
      ingressClassName: spec.options?.ingressClassName,
      loadBalancerAvailable: o.loadBalancerAvailable,
    },
    {
      nodes: async () =>
        known(
          await orForbidden(async () => (await dst.listNode()).items),
          'nodes',
        ),
      ingressClasses: async () =>
        known(
          await orForbidden(
            async () =>
              (
                await o.destination
                  .makeApiClient(NetworkingV1Api)
                  .listIngressClass()
              ).items,
          ),
          'ingressClasses',
        ),
      loadBalancerServices: async enough =>
        known(
          await orForbidden(async () => {
            const found: V1Service[] = [];
            let next: string | undefined;
            do {
              const page = await dst.listServiceForAllNamespaces({
                limit: SERVICE_PAGE,
                _continue: next,
              });
              found.push(
                ...page.items.filter(s => s.spec?.type === 'LoadBalancer'),
              );
              next = page.metadata?._continue;
            } while (next && !enough(found));
            return found;
          }),
          'services',
        ),
    },
    { loadBalancerGraceMs: o.loadBalancerGraceMs },
  );
  const facts: PlanFacts = {
    spec,
    unreadable,
    source: { pvc, pv, namespace: srcNs, storageClasses: sourceClasses },
    sourcePods: usage?.pods ?? [],
    finishedSourcePods: usage?.finishedPods ?? [],
    sourceWorkloads: usage?.workloads ?? [],
    sourceUnstoppable: usage?.unstoppable ?? [],
    allowTransferDefault: o.allowTransferDefault,
    destination: {
      namespace: dstNs,
      existingPvc: existing,
      workloadPodSpecs: destinationWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
      storageClasses: destinationClasses,
    },
    discovery,
    quota: {
      source: await readNamespacePolicy(o.source, spec.source.namespace),
      destination: await readNamespacePolicy(
        o.destination,
        spec.destination.namespace,
      ),
      moverResources: o.moverResources,
    },
  };
  // the rights of the flow the plan chooses from these facts, so that it refuses before anything changes
  const flow = flowOf(planTransfer(facts), facts);
  return { ...facts, rights: await checkRights(flow, spec, o) };
}
