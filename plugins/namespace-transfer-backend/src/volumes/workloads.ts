import {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { WorkloadObject } from './snapshot';

/* List responses omit apiVersion/kind on items; these restore them and lift the pod spec to one place. */

export const fromDeployment = (d: V1Deployment): WorkloadObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: d.metadata ?? {},
  podSpec: d.spec?.template.spec,
  replicas: d.spec?.replicas ?? 1,
});

export const fromReplicaSet = (r: V1ReplicaSet): WorkloadObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: r.metadata ?? {},
  podSpec: r.spec?.template?.spec,
  replicas: r.spec?.replicas ?? 1,
});

export const fromStatefulSet = (s: V1StatefulSet): WorkloadObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: s.metadata ?? {},
  podSpec: s.spec?.template.spec,
  replicas: s.spec?.replicas ?? 1,
  claimTemplates: (s.spec?.volumeClaimTemplates ?? [])
    .map(t => t.metadata?.name ?? '')
    .filter(Boolean),
});

export const fromDaemonSet = (d: V1DaemonSet): WorkloadObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: d.metadata ?? {},
  podSpec: d.spec?.template.spec,
});

export const fromJob = (j: V1Job): WorkloadObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: j.metadata ?? {},
  podSpec: j.spec?.template.spec,
});

export const fromCronJob = (c: V1CronJob): WorkloadObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: c.metadata ?? {},
  podSpec: c.spec?.jobTemplate.spec?.template.spec,
});
