/**
 * What the engine sends against what deploy/ ships: a copy clone, a copy move (ClusterIP), a clone through
 * a LoadBalancer Service and a rebind run as an identity bound only to deploy/rbac (applied with the seed's
 * own code, bound as deploy/ binds them: copy by a RoleBinding in each allowed namespace, rebind cluster-wide), and every request the API server's trace shows from that
 * identity is held against the YAML's rules, evaluated here, not by asking the server. Nothing may have
 * been refused either.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  CoreV1Api,
  type KubeConfig,
  type V1ClusterRole,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  applyManifests,
  readManifests,
  startClusters,
  type SimWorld,
  type TracedRequest,
} from 'kube-sim';
import { planAndCopy } from '../copy';
import { runRebind } from '../rebind';
import { ensureClass } from '../rebind/testing';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, diffTrees, scanTree } from '../testing/trees';
import { rulesAllow } from './evaluate';
import { COPY_ROLE_NAME, REBIND_CLUSTER_ROLE_NAME } from './rules';

jest.setTimeout(300_000);

const DEPLOY_RBAC = join(__dirname, '..', '..', '..', '..', 'deploy', 'rbac');
const ENGINE_NS = 'namespace-transfer-system';
const ENGINE_SA = 'namespace-transfer-engine';
const ENGINE = `system:serviceaccount:${ENGINE_NS}:${ENGINE_SA}`;
/** the namespaces the copy ClusterRole is bound in, as deploy/overlays/example does */
const COPY_NAMESPACES = ['team-a', 'team-b'];

/**
 * What Kubernetes grants every authenticated identity by itself (the bootstrap ClusterRoles
 * system:basic-user and system:discovery): asking who one is and what one may do, and discovery.
 */
const BOOTSTRAP_RULES: V1PolicyRule[] = [
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
];
const DISCOVERY_PATHS = /^\/(api|apis|version|openapi)(\/|$)/;

describe('the requests of the engine against the roles of deploy/rbac', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let engine: KubeConfig;
  let copyRules: V1PolicyRule[];
  let clusterRules: V1PolicyRule[];
  const sent: Record<string, TracedRequest[]> = {};

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    const east = world.cluster('east');
    admin = east.kubeConfig();
    await ensureClass(admin, 'movable', 'true');
    for (const ns of [...COPY_NAMESPACES, ENGINE_NS])
      await ensureNamespace(admin, ns);
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: ENGINE_NS,
      body: { metadata: { name: ENGINE_SA } },
    });
    const deploy = await readManifests(DEPLOY_RBAC);
    const copyRole = deploy.find(
      m => m.kind === 'ClusterRole' && m.metadata?.name === COPY_ROLE_NAME,
    ) as V1ClusterRole;
    const rebindRole = deploy.find(
      m =>
        m.kind === 'ClusterRole' &&
        m.metadata?.name === REBIND_CLUSTER_ROLE_NAME,
    ) as V1ClusterRole;
    copyRules = copyRole.rules ?? [];
    clusterRules = rebindRole.rules ?? [];
    await applyManifests(admin, [
      rebindRole,
      binding('ClusterRoleBinding', REBIND_CLUSTER_ROLE_NAME),
      copyRole,
      ...COPY_NAMESPACES.map(namespace =>
        binding('RoleBinding', COPY_ROLE_NAME, namespace),
      ),
    ]);
    engine = east.serviceAccountKubeConfig(ENGINE_NS, ENGINE_SA).kubeConfig;
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** Runs the flow with the trace on; keeps what the engine's identity sent. */
  async function traced(flow: string, run: () => Promise<unknown>) {
    const trace = world.cluster('east').apiServer.trace();
    try {
      await run();
    } finally {
      sent[flow] = trace.stop().filter(r => r.user === ENGINE);
    }
  }

  const copySpec = (
    id: string,
    name: string,
    intent: TransferSpec['intent'],
    endpoint: 'clusterip' | 'loadbalancer' = 'clusterip',
  ): TransferSpec => ({
    id,
    source: { cluster: 'east', namespace: 'team-a', name },
    destination: { cluster: 'east', namespace: 'team-b', name },
    mode: 'copy',
    intent,
    options: { endpoint },
  });

  async function copyOnce(
    id: string,
    name: string,
    intent: TransferSpec['intent'],
    endpoint: 'clusterip' | 'loadbalancer' = 'clusterip',
  ) {
    const dir = await createBoundPvc(admin, 'team-a', name, 'movable');
    buildTree(dir, {
      smallFiles: 20,
      largeBytes: 64 * 1024,
      sparseBytes: 1024 * 1024,
    });
    await createWorkload(admin, 'team-a', `${name}-app`, name, 1001, 1);
    await traced(`copy ${intent} ${endpoint}`, () =>
      planAndCopy({
        spec: copySpec(id, name, intent, endpoint),
        source: engine,
        destination: engine,
        // without the reader the engine cannot see other LoadBalancer Services: the operator says so
        loadBalancerAvailable: endpoint === 'loadbalancer' ? true : undefined,
      }),
    );
    const copied = scanTree(await volumeDir(admin, 'team-b', name));
    // the file system's own lost+found is the volume's, not data
    const data = (tree: ReturnType<typeof scanTree>) => {
      for (const k of [...tree.keys()])
        if (k.startsWith('lost+found')) tree.delete(k);
      return tree;
    };
    expect(diffTrees(data(scanTree(dir)), data(copied))).toEqual([]);
  }

  it('copies (clone, then move, then a clone through a load balancer) and rebinds as the engine bound to deploy/rbac only', async () => {
    await copyOnce('trace-clone', 'clone-data', 'clone');
    await copyOnce('trace-move', 'move-data', 'move');
    await copyOnce('trace-lb', 'lb-data', 'clone', 'loadbalancer');
    const dir = await createBoundPvc(admin, 'team-a', 'rebind-data', 'movable');
    writeFileSync(`${dir}/hello.txt`, 'handed over\n');
    await createWorkload(admin, 'team-a', 'rebind-app', 'rebind-data', 1001, 1);
    await traced('rebind', () =>
      runRebind({
        spec: {
          ...copySpec('trace-rebind', 'rebind-data', 'move'),
          mode: 'rebind',
          options: {},
        },
        kubeConfig: engine,
      }),
    );
    for (const flow of [
      'copy clone clusterip',
      'copy move clusterip',
      'copy clone loadbalancer',
      'rebind',
    ])
      expect({ flow, requests: sent[flow].length > 10 }).toEqual({
        flow,
        requests: true,
      });
  });

  it('sent nothing the roles of deploy/rbac do not grant, and nothing was refused', () => {
    const ungranted = Object.entries(sent).flatMap(([flow, rs]) =>
      rs.filter(r => !granted(r)).map(r => `${flow}: ${describeRequest(r)}`),
    );
    expect([...new Set(ungranted)]).toEqual([]);
    const refused = Object.entries(sent).flatMap(([flow, rs]) =>
      rs
        .filter(r => r.code === 401 || r.code === 403)
        .map(r => `${flow}: ${describeRequest(r)} ${r.code}`),
    );
    expect(refused).toEqual([]);
  });

  function granted(r: TracedRequest): boolean {
    if (r.path !== undefined) return DISCOVERY_PATHS.test(r.path);
    if (rulesAllow([...clusterRules, ...BOOTSTRAP_RULES], r)) return true;
    return (
      r.namespace !== undefined &&
      COPY_NAMESPACES.includes(r.namespace) &&
      rulesAllow(copyRules, r)
    );
  }
});

function describeRequest(r: TracedRequest): string {
  return r.path !== undefined
    ? `${r.verb} ${r.path}`
    : `${r.verb} ${r.apiGroup || 'core'}/${r.resource}${r.subresource ? `/${r.subresource}` : ''} in ${r.namespace ?? '(cluster)'}`;
}

/** Binds a ClusterRole: cluster-wide, or by a RoleBinding in one namespace only. */
function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  role: string,
  namespace?: string,
) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: role, ...(namespace ? { namespace } : {}) },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role,
    },
    subjects: [
      { kind: 'ServiceAccount', name: ENGINE_SA, namespace: ENGINE_NS },
    ],
  };
}
