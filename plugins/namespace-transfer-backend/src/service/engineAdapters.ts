import { KubeConfig, StorageV1Api } from '@kubernetes/client-node';
import type {
  Plan,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  planTransferRun,
  type MoverResourceOptions,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { abortableKubeConfig, ClusterRegistry, withTimeout } from '../clusters';
import type { ClusterFacts, Planner, StorageClassInfo } from './ports';

/** What the plan may count on from the operator's config: the same facts the worker's runs get. */
export interface EngineFacts {
  ingressDomain?: string;
  loadBalancer?: boolean;
  moverResources?: MoverResourceOptions;
}

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/**
 * The engine's dry run (planTransferRun) on the configured clusters: it reads both sides (claims, workloads,
 * quotas, rights) and plans; it writes nothing. Bounded by `timeoutMs` for all the calls of one plan. It
 * plans as the identity the transfer will run as (`engineKubeConfig`, the worker's): the rights it checks
 * are the engine's, not the portal reader's, which may only read.
 */
export function enginePlanner(
  engineKubeConfig: (cluster: string) => KubeConfig,
  facts: EngineFacts,
  timeoutMs: number,
): Planner {
  return {
    plan: (spec: TransferSpec): Promise<Plan> =>
      withTimeout(
        async signal => {
          const source = engineKubeConfig(spec.source.cluster);
          const destination = engineKubeConfig(spec.destination.cluster);
          // the engine's own dry run, the same the worker's run starts with
          const { plan } = await planTransferRun({
            spec,
            source: abortableKubeConfig(source, signal),
            destination: abortableKubeConfig(destination, signal),
            ingressDomain: facts.ingressDomain,
            loadBalancer: facts.loadBalancer,
            moverResources: facts.moverResources,
          });
          return plan;
        },
        timeoutMs,
        `planning ${spec.source.cluster}/${spec.source.namespace}/${spec.source.name}`,
      ),
  };
}

/** Claims and storage classes of the configured clusters, each read within `timeoutMs`. */
export function registryClusterFacts(
  registry: ClusterRegistry,
  timeoutMs: number,
): ClusterFacts {
  return {
    names: () => registry.list().map(c => c.name),
    claims: (cluster, namespace) =>
      withTimeout(
        async signal => {
          const { core } = registry.clients(cluster).withSignal(signal);
          const list = await core.listNamespacedPersistentVolumeClaim({
            namespace,
          });
          return list.items
            .map(c => c.metadata?.name)
            .filter((n): n is string => !!n)
            .sort();
        },
        timeoutMs,
        `listing the claims of ${cluster}/${namespace}`,
      ),
    storageClasses: cluster =>
      withTimeout(
        async signal => {
          const kc = registry.clients(cluster).withSignal(signal).kubeConfig;
          const list = await kc.makeApiClient(StorageV1Api).listStorageClass();
          return list.items
            .map((c): StorageClassInfo => ({
              name: c.metadata?.name ?? '',
              isDefault: c.metadata?.annotations?.[DEFAULT_CLASS] === 'true',
            }))
            .filter(c => c.name)
            .sort((a, b) => a.name.localeCompare(b.name));
        },
        timeoutMs,
        `listing the storage classes of ${cluster}`,
      ),
  };
}
