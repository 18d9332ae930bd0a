import {
  AppsV1Api,
  BatchV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1PodSpec,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { withRetry } from '../clusters';
import type { WorkloadFact } from '../plan';
import { QUIESCED_BY } from '../quiesce/annotations';

export function mountsClaim(
  spec: V1PodSpec | undefined,
  claimName: string,
): boolean {
  return (spec?.volumes ?? []).some(
    v => v.persistentVolumeClaim?.claimName === claimName,
  );
}

interface Templated {
  metadata?: {
    name?: string;
    namespace?: string;
    ownerReferences?: unknown[];
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number; template?: V1PodTemplateSpec };
}

/**
 * The controllers whose pod templates mount the claim: these are what quiesce scales down and what the
 * identity comes from. ReplicaSets owned by a Deployment are reached through the Deployment.
 */
export async function workloadsUsingClaim(
  kc: KubeConfig,
  namespace: string,
  claimName: string,
  opts: { openshift: boolean },
): Promise<WorkloadFact[]> {
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const out: WorkloadFact[] = [];
  const add = (kind: WorkloadFact['ref']['kind'], items: Templated[]) => {
    for (const w of items) {
      if (w.metadata?.ownerReferences?.length) continue;
      const podSpec = w.spec?.template?.spec;
      if (!mountsClaim(podSpec, claimName)) continue;
      out.push({
        ref: {
          kind,
          namespace,
          name: w.metadata!.name!,
          replicas: w.spec?.replicas ?? 1,
        },
        podSpec,
        quiescedBy: w.metadata?.annotations?.[QUIESCED_BY],
      });
    }
  };
  add(
    'Deployment',
    (await withRetry(() => apps.listNamespacedDeployment({ namespace }))).items,
  );
  add(
    'StatefulSet',
    (await withRetry(() => apps.listNamespacedStatefulSet({ namespace })))
      .items,
  );
  add(
    'ReplicaSet',
    (await withRetry(() => apps.listNamespacedReplicaSet({ namespace }))).items,
  );
  for (const cj of (
    await withRetry(() => batch.listNamespacedCronJob({ namespace }))
  ).items) {
    const podSpec = cj.spec?.jobTemplate?.spec?.template?.spec;
    if (mountsClaim(podSpec, claimName)) {
      out.push({
        ref: {
          kind: 'CronJob',
          namespace,
          name: cj.metadata!.name!,
          replicas: cj.spec?.suspend ? 0 : 1,
        },
        podSpec,
        quiescedBy: cj.metadata?.annotations?.[QUIESCED_BY],
      });
    }
  }
  if (opts.openshift) {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const list = (await withRetry(() =>
      custom.listNamespacedCustomObject({
        group: 'apps.openshift.io',
        version: 'v1',
        namespace,
        plural: 'deploymentconfigs',
      }),
    )) as { items?: Templated[] };
    add('DeploymentConfig', list.items ?? []);
  }
  return out;
}
