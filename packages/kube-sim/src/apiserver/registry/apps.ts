/** apps/v1 workloads. Defaults follow pkg/apis/apps/v1/defaults.go. */
import { defaultPodTemplate, podSpecMergeKeys } from './podspec';
import type { KindDescriptor, KObject } from './types';
import { deepEqual } from '../util';
import {
  validateSelectorImmutable,
  validateWorkload,
  type WorkloadShape,
} from '../validation/workloads';

const apps = { group: 'apps', version: 'v1' };
const statusKeys = { 'status.conditions': 'type' };

function workload(
  kind: string,
  plural: string,
  shortNames: string[],
  shape: WorkloadShape,
  defaults: (o: KObject) => void,
  scalable: boolean,
): KindDescriptor {
  return {
    ...apps,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames,
    categories: ['all'],
    statusSubresource: true,
    generation: true,
    scale: scalable
      ? {
          specReplicasPath: 'spec.replicas',
          statusReplicasPath: 'status.replicas',
          labelSelectorPath: 'spec.selector',
        }
      : undefined,
    initialStatus: () => ({}),
    mergeKeys: { ...podSpecMergeKeys('spec.template.spec'), ...statusKeys },
    defaulter: o => {
      o.spec ??= {};
      defaults(o);
      defaultPodTemplate(o.spec.template);
    },
    validate: o => validateWorkload(o, shape),
    validateUpdate: (o, old) => [
      ...validateWorkload(o, shape),
      ...validateSelectorImmutable(o, old, 'spec.selector'),
    ],
  };
}

const template = 'spec.template';
const always = ['Always'];

export const appsKinds: KindDescriptor[] = [
  workload(
    'Deployment',
    'deployments',
    ['deploy'],
    {
      template,
      selector: 'spec.selector',
      replicas: 'spec.replicas',
      restartPolicies: undefined,
    },
    d => {
      d.spec.replicas ??= 1;
      d.spec.strategy ??= { type: 'RollingUpdate' };
      d.spec.strategy.type ??= 'RollingUpdate';
      if (d.spec.strategy.type === 'RollingUpdate') {
        d.spec.strategy.rollingUpdate ??= {};
        d.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
        d.spec.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      d.spec.revisionHistoryLimit ??= 10;
      d.spec.progressDeadlineSeconds ??= 600;
    },
    true,
  ),
  workload(
    'ReplicaSet',
    'replicasets',
    ['rs'],
    { template, selector: 'spec.selector', replicas: 'spec.replicas' },
    r => {
      r.spec.replicas ??= 1;
    },
    true,
  ),
  workload(
    'StatefulSet',
    'statefulsets',
    ['sts'],
    {
      template,
      selector: 'spec.selector',
      replicas: 'spec.replicas',
      validatePodSpec: false,
    },
    s => {
      s.spec.replicas ??= 1;
      s.spec.podManagementPolicy ??= 'OrderedReady';
      s.spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (s.spec.updateStrategy.type === 'RollingUpdate')
        s.spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      s.spec.revisionHistoryLimit ??= 10;
      s.spec.persistentVolumeClaimRetentionPolicy ??= {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      };
      for (const t of s.spec.volumeClaimTemplates ?? []) {
        t.apiVersion ??= 'v1';
        t.kind ??= 'PersistentVolumeClaim';
        t.spec ??= {};
        t.spec.volumeMode ??= 'Filesystem';
        t.status ??= { phase: 'Pending' };
      }
    },
    true,
  ),
  workload(
    'DaemonSet',
    'daemonsets',
    ['ds'],
    { template, selector: 'spec.selector', restartPolicies: always },
    d => {
      d.spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (d.spec.updateStrategy.type === 'RollingUpdate')
        d.spec.updateStrategy.rollingUpdate ??= {
          maxUnavailable: 1,
          maxSurge: 0,
        };
      d.spec.revisionHistoryLimit ??= 10;
    },
    false,
  ),
];

// ValidateStatefulSetUpdate: only these spec fields may change after creation.
const STS_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];
const sts = appsKinds.find(k => k.kind === 'StatefulSet')!;
const stsUpdate = sts.validateUpdate!;
sts.validateUpdate = (o, old, ctx) => {
  const errs = stsUpdate(o, old, ctx);
  const rest = (x: KObject) =>
    Object.fromEntries(
      Object.entries(x.spec ?? {}).filter(([k]) => !STS_MUTABLE.includes(k)),
    );
  if (!deepEqual(rest(o), rest(old)))
    errs.push({
      type: 'FieldValueForbidden',
      field: 'spec',
      detail:
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    });
  return errs;
};

// A Deployment, ReplicaSet or StatefulSet template must restart always, as the real validation says.
for (const k of appsKinds) {
  const base = k.validate!;
  k.validate = (o, ctx) => {
    const errs = base(o, ctx);
    const rp = o.spec?.template?.spec?.restartPolicy;
    if (
      rp &&
      rp !== 'Always' &&
      !errs.some(e => e.field === 'spec.template.spec.restartPolicy')
    )
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        value: rp,
        supported: always,
      });
    return errs;
  };
}
