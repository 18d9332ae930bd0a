import type {
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { BOTH, CLUSTER, DST, grant, SRC, type Grant } from './needs';
import { WORKLOAD_GRANTS } from './workloads';

/**
 * The plan holds the destination claim and the mover pods against the namespaces' ResourceQuotas and
 * LimitRanges; an identity that may not read them gets a warning, so they are never required.
 */
const QUOTA_GRANTS: Grant[] = [
  grant('', 'resourcequotas', ['list']),
  grant('', 'limitranges', ['list']),
];

/**
 * What the engine needs in the source and the destination namespace for copy mode: nothing
 * cluster-scoped (reading namespaces, storage classes, PVs, nodes, ingress classes and all namespaces'
 * Services makes the plan more complete when allowed, and the nodeport endpoint needs to list nodes;
 * without them the plan warns). `deploy/` ships the same.
 *
 * Each grant also says when a copy needs it (`need`, see ./needs): the plan checks exactly those rights
 * of the flow it chose, so the Role and the plan's check cannot drift apart. A grant without `need` is
 * shipped but never required.
 */
export const COPY_ROLE_GRANTS: Grant[] = [
  // the destination claim (created, its size fixed, deleted on rollback); the source claim read,
  // annotated as transferred for a move, deleted only when asked
  grant('', 'persistentvolumeclaims', ['get'], { sides: BOTH }),
  grant('', 'persistentvolumeclaims', ['create'], { sides: DST }),
  grant('', 'persistentvolumeclaims', ['delete'], { sides: DST }),
  grant('', 'persistentvolumeclaims', ['delete'], {
    sides: SRC,
    when: { deleteSource: true },
  }),
  grant('', 'persistentvolumeclaims', ['update'], {
    sides: SRC,
    when: { intent: 'move' },
  }),
  grant('', 'persistentvolumeclaims', ['list', 'patch']),
  // mover pods: created, watched until done, replaced when killed, deleted at cleanup
  grant('', 'pods', ['get', 'list', 'watch', 'create', 'delete'], {
    sides: BOTH,
  }),
  // progress and results are parsed from the client's own output
  grant('', 'pods/log', ['get'], { sides: SRC }),
  // per-transfer key material and mover configs; every kind the clean-up lists by the transfer's label
  grant('', 'secrets', ['get', 'list', 'create', 'delete'], { sides: BOTH }),
  grant('', 'configmaps', ['list', 'create', 'delete'], { sides: BOTH }),
  grant('', 'configmaps', ['get']),
  grant('', 'services', ['list'], { sides: BOTH }),
  grant('networking.k8s.io', 'ingresses', ['list'], { sides: BOTH }),
  grant('route.openshift.io', 'routes', ['list'], {
    sides: DST,
    when: { routeApiServed: true },
  }),
  // the Service behind every endpoint kind, and what exposes it
  grant('', 'services', ['get', 'create', 'delete'], { sides: DST }),
  grant('networking.k8s.io', 'ingresses', ['get', 'create', 'delete'], {
    sides: DST,
    when: { endpoint: 'ingress' },
  }),
  grant('route.openshift.io', 'routes', ['get', 'create', 'delete'], {
    sides: DST,
    when: { endpoint: 'route' },
  }),
  // a passthrough Route with the engine's chosen host
  grant('route.openshift.io', 'routes/custom-host', ['create'], {
    sides: DST,
    when: { endpoint: 'route' },
  }),
  ...WORKLOAD_GRANTS,
  ...QUOTA_GRANTS,
];

/** The Role's rules, as deploy/ ships them (a test compares the grants). */
export const COPY_ROLE_RULES: V1PolicyRule[] = COPY_ROLE_GRANTS.map(
  ({ need: _need, ...rule }) => rule,
);

export const COPY_ROLE_NAME = 'namespace-transfer-copy';

/**
 * The nodeport endpoint reads the destination's node addresses while exposing: `list nodes`, cluster-wide,
 * which deploy/ ships in the reader ClusterRole (no namespaced Role can grant it).
 */
export const NODEPORT_GRANTS: Grant[] = [
  grant('', 'nodes', ['list'], { sides: DST, when: { endpoint: 'nodeport' } }),
];

/**
 * What rebind mode (and the KEP controller) needs, cluster-wide: PersistentVolumes are cluster-scoped, so
 * no namespaced Role can grant handing one over. `deploy/` ships the same ClusterRole; `need` as above.
 */
export const REBIND_CLUSTER_ROLE_GRANTS: Grant[] = [
  // the volume itself: read, hold, Retain and claimRef changes; never deleted
  grant('', 'persistentvolumes', ['get', 'update'], { sides: CLUSTER }),
  // the source claim is marked and deleted (re-created when the volume is given back), the
  // destination claim created; a claim the PV controller leaves Pending is changed to have it synced
  // again (update on the destination too: shipped, not required, without it the periodic sync binds)
  grant('', 'persistentvolumeclaims', ['get', 'create'], { sides: BOTH }),
  grant('', 'persistentvolumeclaims', ['update', 'delete'], { sides: SRC }),
  // preconditions read namespaces when allowed: without it the plan only warns
  grant('', 'namespaces', ['get']),
  // waiting for the application's pods to stop
  grant('', 'pods', ['list', 'watch'], { sides: SRC }),
  grant('storage.k8s.io', 'storageclasses', ['list']),
  ...WORKLOAD_GRANTS,
  ...QUOTA_GRANTS,
  // the KEP controller's own: not a transfer's
  grant('transfer.namespace-transfer.io', 'namespacetransferrequests', [
    'get',
    'list',
    'watch',
  ]),
  grant('transfer.namespace-transfer.io', 'namespacetransferapprovals', [
    'get',
    'list',
    'watch',
  ]),
  grant('transfer.namespace-transfer.io', 'namespacetransferrequests/status', [
    'get',
    'update',
    'patch',
  ]),
  grant('transfer.namespace-transfer.io', 'namespacetransferapprovals/status', [
    'get',
    'update',
    'patch',
  ]),
  // story 1: the destination claim whose dataSourceRef names a request
  grant('', 'persistentvolumeclaims', ['list', 'watch']),
];

export const REBIND_CLUSTER_ROLE_RULES: V1PolicyRule[] =
  REBIND_CLUSTER_ROLE_GRANTS.map(({ need: _need, ...rule }) => rule);

export const REBIND_CLUSTER_ROLE_NAME = 'namespace-transfer-rebind';

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
