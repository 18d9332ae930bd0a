import {
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { httpStatus, withRetry } from '../clusters';
import { transferSelector } from '../naming';
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
