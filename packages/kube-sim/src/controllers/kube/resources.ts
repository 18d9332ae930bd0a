/** Where a resource lives in the REST API: the controllers address everything by group/version/plural. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

function ref(
  groupVersion: string,
  plural: string,
  kind: string,
  namespaced = true,
): ResourceRef {
  const [group, version] = groupVersion.includes('/')
    ? groupVersion.split('/')
    : ['', groupVersion];
  return { group, version, plural, kind, namespaced };
}

export const R = {
  namespaces: ref('v1', 'namespaces', 'Namespace', false),
  nodes: ref('v1', 'nodes', 'Node', false),
  persistentvolumes: ref('v1', 'persistentvolumes', 'PersistentVolume', false),
  persistentvolumeclaims: ref(
    'v1',
    'persistentvolumeclaims',
    'PersistentVolumeClaim',
  ),
  pods: ref('v1', 'pods', 'Pod'),
  services: ref('v1', 'services', 'Service'),
  endpoints: ref('v1', 'endpoints', 'Endpoints'),
  endpointslices: ref('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice'),
  events: ref('v1', 'events', 'Event'),
  resourcequotas: ref('v1', 'resourcequotas', 'ResourceQuota'),
  secrets: ref('v1', 'secrets', 'Secret'),
  configmaps: ref('v1', 'configmaps', 'ConfigMap'),
  storageclasses: ref(
    'storage.k8s.io/v1',
    'storageclasses',
    'StorageClass',
    false,
  ),
  deployments: ref('apps/v1', 'deployments', 'Deployment'),
  replicasets: ref('apps/v1', 'replicasets', 'ReplicaSet'),
  statefulsets: ref('apps/v1', 'statefulsets', 'StatefulSet'),
  daemonsets: ref('apps/v1', 'daemonsets', 'DaemonSet'),
  jobs: ref('batch/v1', 'jobs', 'Job'),
  cronjobs: ref('batch/v1', 'cronjobs', 'CronJob'),
} as const;

export function apiVersionOf(r: ResourceRef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/**
 * The collection path (no name) or the object path (with name), optionally with a subresource.
 * `namespace` undefined on a namespaced resource means "across all namespaces" (list/watch only).
 */
export function resourcePath(
  r: ResourceRef,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  let p = base;
  if (r.namespaced && namespace)
    p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
