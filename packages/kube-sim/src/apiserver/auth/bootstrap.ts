/**
 * The default roles a fresh cluster has (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), reduced to the
 * ones people bind to: cluster-admin, admin, edit, view, and what every authenticated user may do
 * (discovery, asking what they may do).
 */
import type { KObject } from '../registry/types';

const RBAC = 'rbac.authorization.k8s.io/v1';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const NAMESPACED_WORKLOADS: [string, string[]][] = [
  [
    '',
    [
      'pods',
      'pods/log',
      'pods/status',
      'services',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'configmaps',
      'secrets',
      'serviceaccounts',
      'events',
    ],
  ],
  [
    'apps',
    [
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
      'daemonsets',
      'daemonsets/status',
    ],
  ],
  ['batch', ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status']],
  ['networking.k8s.io', ['ingresses', 'ingresses/status']],
  ['route.openshift.io', ['routes', 'routes/status']],
  ['apps.openshift.io', ['deploymentconfigs', 'deploymentconfigs/scale']],
];

/**
 * As the real system:aggregate-to-edit: whoever may edit a namespace may act as its service accounts
 * (they could run a pod as one anyway).
 */
const IMPERSONATE_SERVICE_ACCOUNTS: KObject = {
  apiGroups: [''],
  resources: ['serviceaccounts'],
  verbs: ['impersonate'],
};

/**
 * system:aggregate-to-view reads EndpointSlices; no default role writes them (only controllers should,
 * as with Endpoints since CVE-2021-25740).
 */
const READ_ENDPOINT_SLICES: KObject = {
  apiGroups: ['discovery.k8s.io'],
  resources: ['endpointslices'],
  verbs: READ,
};

function rules(verbs: string[], withSecrets: boolean): KObject[] {
  return [
    ...NAMESPACED_WORKLOADS.map(([g, rs]) => ({
      apiGroups: [g],
      resources: withSecrets ? rs : rs.filter(r => r !== 'secrets'),
      verbs,
    })),
    READ_ENDPOINT_SLICES,
  ];
}

const clusterRole = (name: string, r: KObject[]): KObject => ({
  apiVersion: RBAC,
  kind: 'ClusterRole',
  metadata: {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  },
  rules: r,
});

const groupBinding = (name: string, role: string, group: string): KObject => ({
  apiVersion: RBAC,
  kind: 'ClusterRoleBinding',
  metadata: {
    name,
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  },
  roleRef: {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: role,
  },
  subjects: [
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group },
  ],
});

export function bootstrapRbac(): KObject[] {
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRole('admin', [
      ...rules([...READ, ...WRITE], true),
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['roles', 'rolebindings'],
        verbs: [...READ, ...WRITE],
      },
      {
        apiGroups: [''],
        resources: ['pods/exec', 'pods/eviction', 'pods/portforward'],
        verbs: ['create', 'get'],
      },
      IMPERSONATE_SERVICE_ACCOUNTS,
    ]),
    clusterRole('edit', [
      ...rules([...READ, ...WRITE], true),
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      IMPERSONATE_SERVICE_ACCOUNTS,
    ]),
    clusterRole('view', rules(READ, false)),
    clusterRole('system:discovery', [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        verbs: ['get'],
      },
    ]),
    clusterRole('system:basic-user', [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['selfsubjectreviews'],
        verbs: ['create'],
      },
    ]),
    clusterRole('system:public-info-viewer', [
      {
        nonResourceURLs: [
          '/healthz',
          '/livez',
          '/readyz',
          '/version',
          '/version/',
        ],
        verbs: ['get'],
      },
    ]),
    groupBinding('cluster-admin', 'cluster-admin', 'system:masters'),
    groupBinding(
      'system:discovery',
      'system:discovery',
      'system:authenticated',
    ),
    groupBinding(
      'system:basic-user',
      'system:basic-user',
      'system:authenticated',
    ),
    groupBinding(
      'system:public-info-viewer',
      'system:public-info-viewer',
      'system:authenticated',
    ),
  ];
}
