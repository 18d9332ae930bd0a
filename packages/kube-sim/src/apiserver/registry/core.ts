/** The core (`v1`) kinds the project uses. Defaults follow pkg/apis/core/v1/defaults.go. */
import {
  defaultPodSpec,
  defaultPodTemplate,
  podSpecMergeKeys,
  POD_STATUS_MERGE_KEYS,
} from './podspec';
import type { KindDescriptor, KObject } from './types';
import {
  validateNamespace,
  validateNamespaceUpdate,
} from '../validation/namespace';
import { validatePod, validatePodUpdate } from '../validation/pod';
import {
  validatePvc,
  validatePvcUpdate,
  validatePv,
  validatePvUpdate,
} from '../validation/volumes';
import { validateService, validateServiceUpdate } from '../validation/service';
import {
  validateConfigMap,
  validateSecret,
  validateSecretUpdate,
  validateServiceAccount,
} from '../validation/config';
import { prepareDataSources } from '../validation/dataSource';
import { validateEndpoints } from '../validation/endpoints';
import { dns1123Label } from '../validation/names';
import { limitRange, resourceQuota } from './quota';
import { validateWorkload } from '../validation/workloads';

const core = { group: '', version: 'v1' };

const namespace: KindDescriptor = {
  ...core,
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  statusSubresource: true,
  extraSubresources: ['finalize'],
  returnDeletedObject: true,
  initialStatus: () => ({ phase: 'Active' }),
  fieldSelectors: { 'status.phase': o => o.status?.phase },
  defaulter: ns => {
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
    // NamespaceDefaultLabelName: the API server always labels a namespace with its own name.
    ns.metadata.labels = {
      ...(ns.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': ns.metadata.name,
    };
  },
  nameCheck: dns1123Label,
  // Only the finalize subresource changes spec.finalizers (pkg/registry/core/namespace/strategy.go).
  prepareForUpdate: (ns, old) => {
    ns.spec = { ...(ns.spec ?? {}), finalizers: old.spec?.finalizers };
    if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
  },
  validate: validateNamespace,
  validateUpdate: validateNamespaceUpdate,
  canFinalize: ns => !(ns.spec?.finalizers ?? []).length,
  gracefulDelete: () => ({
    grace: 0,
    mark: ns => {
      ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    },
  }),
};

const podFieldSelectors: Record<string, (o: KObject) => string | undefined> = {
  'spec.nodeName': o => o.spec?.nodeName ?? '',
  'spec.restartPolicy': o => o.spec?.restartPolicy,
  'spec.schedulerName': o => o.spec?.schedulerName,
  'spec.serviceAccountName': o => o.spec?.serviceAccountName,
  'spec.hostNetwork': o => String(!!o.spec?.hostNetwork),
  'status.phase': o => o.status?.phase,
  'status.podIP': o => o.status?.podIP ?? '',
  'status.podIPs': o => o.status?.podIPs?.[0]?.ip ?? '',
  'status.nominatedNodeName': o => o.status?.nominatedNodeName ?? '',
};

function qosClass(pod: KObject): string {
  const containers: KObject[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && req[r] !== lim[r]))
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** SetDefaults_Pod (pods only, not templates): a limit without a request is also the request. */
function defaultRequestsFromLimits(spec: KObject): void {
  for (const c of [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []),
  ]) {
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) {
      c.resources.requests ??= {};
      c.resources.requests[k] ??= v;
    }
  }
}

const pod: KindDescriptor = {
  ...core,
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  statusSubresource: true,
  extraSubresources: ['binding', 'log', 'eviction'],
  returnDeletedObject: true,
  initialStatus: p => ({ phase: 'Pending', qosClass: qosClass(p) }),
  fieldSelectors: podFieldSelectors,
  mergeKeys: {
    ...podSpecMergeKeys('spec'),
    ...POD_STATUS_MERGE_KEYS,
    'spec.tolerations': '',
  },
  defaulter: p => {
    p.spec ??= {};
    defaultPodSpec(p.spec);
    defaultRequestsFromLimits(p.spec);
    // The ServiceAccount admission plugin: every pod runs as some service account.
    p.spec.serviceAccountName ??= p.spec.serviceAccount ?? 'default';
    p.spec.serviceAccount ??= p.spec.serviceAccountName;
    p.spec.priority ??= 0;
    // DefaultTolerationSeconds admission plugin.
    const tol: KObject[] = (p.spec.tolerations ??= []);
    for (const key of [
      'node.kubernetes.io/not-ready',
      'node.kubernetes.io/unreachable',
    ]) {
      if (!tol.some(t => t.key === key || (t.operator === 'Exists' && !t.key)))
        tol.push({
          key,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        });
    }
  },
  validate: validatePod,
  validateUpdate: validatePodUpdate,
  gracefulDelete: (p, requested) => {
    // pkg/registry/core/pod/strategy.go CheckGracefulTermination
    let grace = requested ?? p.spec?.terminationGracePeriodSeconds ?? 30;
    if (!p.spec?.nodeName) grace = 0;
    if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')
      grace = 0;
    return { grace };
  },
};

const pvc: KindDescriptor = {
  ...core,
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  namespaced: true,
  shortNames: ['pvc'],
  statusSubresource: true,
  initialStatus: () => ({ phase: 'Pending' }),
  mergeKeys: { 'status.conditions': 'type' },
  defaulter: c => {
    c.spec ??= {};
    c.spec.volumeMode ??= 'Filesystem';
  },
  beforeCreate: c => prepareDataSources(c.spec),
  prepareForUpdate: (c, old) => prepareDataSources((c.spec ??= {}), old.spec),
  validate: c => validatePvc(c),
  validateUpdate: validatePvcUpdate,
};

const pv: KindDescriptor = {
  ...core,
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  namespaced: false,
  shortNames: ['pv'],
  statusSubresource: true,
  initialStatus: () => ({ phase: 'Pending' }),
  defaulter: v => {
    v.spec ??= {};
    v.spec.volumeMode ??= 'Filesystem';
    v.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    if (v.spec.hostPath) v.spec.hostPath.type ??= '';
  },
  validate: validatePv,
  validateUpdate: validatePvUpdate,
};

const service: KindDescriptor = {
  ...core,
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  statusSubresource: true,
  returnDeletedObject: true,
  initialStatus: () => ({ loadBalancer: {} }),
  mergeKeys: { 'spec.ports': 'port', 'status.conditions': 'type' },
  defaulter: s => {
    s.spec ??= {};
    s.spec.type ??= 'ClusterIP';
    s.spec.sessionAffinity ??= 'None';
    for (const p of s.spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    if (s.spec.type !== 'ExternalName') {
      s.spec.internalTrafficPolicy ??= 'Cluster';
      s.spec.ipFamilies ??= ['IPv4'];
      s.spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer')
      s.spec.externalTrafficPolicy ??= 'Cluster';
    if (s.spec.type === 'LoadBalancer')
      s.spec.allocateLoadBalancerNodePorts ??= true;
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
};

const endpoints: KindDescriptor = {
  ...core,
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  allowCreateOnUpdate: true,
  shortNames: ['ep'],
  defaulter: e => {
    for (const s of e.subsets ?? [])
      for (const p of s.ports ?? []) p.protocol ??= 'TCP';
  },
  validate: validateEndpoints,
  validateUpdate: validateEndpoints,
};

const secret: KindDescriptor = {
  ...core,
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  fieldSelectors: { type: o => o.type },
  defaulter: s => {
    s.type ??= 'Opaque';
    // stringData is write-only: the v1 conversion merges it into data (overwriting) and drops it.
    if (s.stringData && typeof s.stringData === 'object') {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData))
        s.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    }
    delete s.stringData;
  },
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
};

const configMap: KindDescriptor = {
  ...core,
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  validate: validateConfigMap,
  validateUpdate: (cm, old) => validateConfigMap(cm, undefined, old),
};

const serviceAccount: KindDescriptor = {
  ...core,
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  extraSubresources: ['token'],
  mergeKeys: { secrets: 'name', imagePullSecrets: 'name' },
  validate: validateServiceAccount,
};

const eventFieldSelectors: Record<string, (o: KObject) => string | undefined> =
  {
    'involvedObject.kind': o => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': o => o.involvedObject?.namespace ?? '',
    'involvedObject.name': o => o.involvedObject?.name ?? '',
    'involvedObject.uid': o => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': o => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': o =>
      o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': o => o.involvedObject?.fieldPath ?? '',
    reason: o => o.reason ?? '',
    reportingComponent: o => o.reportingComponent ?? '',
    source: o => o.source?.component ?? o.reportingComponent ?? '',
    type: o => o.type ?? '',
  };

const event: KindDescriptor = {
  ...core,
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  allowCreateOnUpdate: true,
  shortNames: ['ev'],
  fieldSelectors: eventFieldSelectors,
};

const node: KindDescriptor = {
  ...core,
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  statusSubresource: true,
  // Nodes may set their status on create (the kubelet registers with it).
  initialStatus: n => n.status,
  fieldSelectors: {
    'spec.unschedulable': o => String(!!o.spec?.unschedulable),
  },
  mergeKeys: {
    'status.conditions': 'type',
    'status.addresses': 'type',
    'spec.taints': '',
    'status.images': '',
  },
};

/** The legacy `bindings` resource: POST a Binding named after the pod (the same as pods/binding). */
/**
 * ReplicationController: served as every cluster serves it (OpenShift's DeploymentConfigs run their pods
 * through them); no controller runs them here. Its selector is a plain label map, defaulted from the
 * template's labels as the real strategy does.
 */
const replicationController: KindDescriptor = {
  ...core,
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  scale: {
    specReplicasPath: 'spec.replicas',
    statusReplicasPath: 'status.replicas',
    labelSelectorPath: 'spec.selector',
  },
  initialStatus: () => ({ replicas: 0 }),
  mergeKeys: {
    ...podSpecMergeKeys('spec.template.spec'),
    'status.conditions': 'type',
  },
  defaulter: o => {
    o.spec ??= {};
    o.spec.replicas ??= 1;
    o.spec.selector ??= { ...(o.spec.template?.metadata?.labels ?? {}) };
    defaultPodTemplate(o.spec.template);
  },
  validate: o =>
    validateWorkload(o, {
      template: 'spec.template',
      replicas: 'spec.replicas',
      restartPolicies: ['Always'],
    }),
  validateUpdate: o =>
    validateWorkload(o, {
      template: 'spec.template',
      replicas: 'spec.replicas',
      restartPolicies: ['Always'],
    }),
};

const binding: KindDescriptor = {
  ...core,
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  namespaced: true,
  verbs: ['create'],
};

export const coreKinds: KindDescriptor[] = [
  binding,
  namespace,
  pod,
  replicationController,
  pvc,
  pv,
  service,
  endpoints,
  secret,
  configMap,
  serviceAccount,
  event,
  node,
  resourceQuota,
  limitRange,
];
