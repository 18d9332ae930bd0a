import type {
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';

/**
 * What the engine needs in the source and the destination namespace for copy mode: nothing
 * cluster-scoped (reading namespaces, storage classes, PVs, nodes, ingress classes and all namespaces'
 * Services makes the plan more complete when allowed, and the nodeport endpoint needs to list nodes;
 * without them the plan warns). `deploy/` ships the same.
 */
export const COPY_ROLE_RULES: V1PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['persistentvolumeclaims'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
  },
  {
    apiGroups: [''],
    resources: ['pods'],
    verbs: ['get', 'list', 'watch', 'create', 'delete'],
  },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  {
    apiGroups: [''],
    resources: ['secrets', 'configmaps', 'services'],
    verbs: ['get', 'list', 'create', 'delete'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses'],
    verbs: ['get', 'list', 'create', 'delete'],
  },
  {
    apiGroups: ['route.openshift.io'],
    resources: ['routes'],
    verbs: ['get', 'list', 'create', 'delete'],
  },
  {
    apiGroups: ['route.openshift.io'],
    resources: ['routes/custom-host'],
    verbs: ['create'],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'statefulsets', 'replicasets', 'daemonsets'],
    verbs: ['get', 'list', 'update'],
  },
  {
    apiGroups: ['batch'],
    resources: ['cronjobs'],
    verbs: ['get', 'list', 'update'],
  },
  // who uses the claim: a pod's owner chain goes through its Job (or, on OpenShift, ReplicationController)
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] },
  // OpenShift's controller copies a DeploymentConfig's quiesce marks onto its ReplicationControllers:
  // restore removes the copies
  {
    apiGroups: [''],
    resources: ['replicationcontrollers'],
    verbs: ['get', 'list', 'update'],
  },
  {
    apiGroups: ['apps.openshift.io'],
    resources: ['deploymentconfigs'],
    verbs: ['get', 'list', 'update'],
  },
];

export const COPY_ROLE_NAME = 'namespace-transfer-copy';

export function copyRole(namespace: string): V1Role {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: COPY_ROLE_NAME, namespace },
    rules: COPY_ROLE_RULES,
  };
}

export function copyRoleBinding(
  namespace: string,
  serviceAccount: { namespace: string; name: string },
): V1RoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: COPY_ROLE_NAME, namespace },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: COPY_ROLE_NAME,
    },
    subjects: [
      {
        kind: 'ServiceAccount',
        name: serviceAccount.name,
        namespace: serviceAccount.namespace,
      },
    ],
  };
}
