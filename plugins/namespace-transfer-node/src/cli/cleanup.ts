import {
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import type { WorkloadRef } from '@namespace-transfer/plugin-namespace-transfer-common';
import { httpStatus, withRetry } from '../clusters';
import { TRANSFERRED_BY, TRANSFERRED_TO, transferSelector } from '../naming';
import { restoreQuiesced } from '../quiesce';
import { listAll } from '../usage';
import type { ClusterRef } from './clusters';

/** What the engine labels with a transfer id. PVCs only on request: a finished transfer's result is one. */
const KINDS: Array<[apiVersion: string, kind: string]> = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'Secret'],
  ['v1', 'ConfigMap'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['route.openshift.io/v1', 'Route'],
];
const PVC: [string, string] = ['v1', 'PersistentVolumeClaim'];

export interface LabelledObject {
  context: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Every object labelled with the transfer id, in all namespaces of the cluster. */
export async function findLabelled(
  cluster: ClusterRef,
  transferId: string,
  opts: { pvcs?: boolean } = {},
): Promise<LabelledObject[]> {
  const api = KubernetesObjectApi.makeApiClient(cluster.kc);
  const out: LabelledObject[] = [];
  for (const [apiVersion, kind] of opts.pvcs ? [...KINDS, PVC] : KINDS) {
    let items: KubernetesObject[];
    try {
      const list = await withRetry(() =>
        api.list(
          apiVersion,
          kind,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          transferSelector(transferId),
        ),
      );
      items = list.items;
    } catch (e) {
      // a kind the cluster does not serve (Routes outside OpenShift) holds nothing of ours
      if (httpStatus(e) === 404) continue;
      throw e;
    }
    for (const i of items)
      out.push({
        context: cluster.context,
        apiVersion,
        kind,
        namespace: i.metadata?.namespace,
        name: i.metadata!.name!,
      });
  }
  return out;
}

export async function removeLabelled(
  cluster: ClusterRef,
  objects: LabelledObject[],
): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(cluster.kc);
  for (const o of objects) {
    try {
      await withRetry(() =>
        api.delete(
          {
            apiVersion: o.apiVersion,
            kind: o.kind,
            metadata: { name: o.name, namespace: o.namespace },
          },
          undefined,
          undefined,
          0,
          undefined,
          'Background',
        ),
      );
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
  }
}

export const describeObject = (o: LabelledObject) =>
  `${o.context}: ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

export interface StoppedWorkloads {
  namespace: string;
  /** given back: the transfer had not finished a move */
  restored: WorkloadRef[];
  /** a finished move (a claim of the namespace says where its data went): its workloads stay stopped */
  moved?: { claim: string; to: string };
}

/**
 * Gives back what the transfer scaled down in each source namespace, unless the cluster says the
 * transfer finished a move there (the source claim's transferred-to annotation, written at the point of no
 * return): a moved application must not start again on its old data.
 */
export async function restoreStoppedWorkloads(
  cluster: ClusterRef,
  transferId: string,
  namespaces: string[],
): Promise<StoppedWorkloads[]> {
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const out: StoppedWorkloads[] = [];
  for (const namespace of namespaces) {
    const claims = await listAll(p =>
      core.listNamespacedPersistentVolumeClaim({ ...p, namespace }),
    );
    const moved = claims.find(
      c =>
        c.metadata?.annotations?.[TRANSFERRED_BY] === transferId &&
        c.metadata?.annotations?.[TRANSFERRED_TO],
    );
    if (moved) {
      out.push({
        namespace,
        restored: [],
        moved: {
          claim: moved.metadata!.name!,
          to: moved.metadata!.annotations![TRANSFERRED_TO],
        },
      });
      continue;
    }
    out.push({
      namespace,
      restored: await restoreQuiesced(cluster.kc, namespace, transferId),
    });
  }
  return out;
}
