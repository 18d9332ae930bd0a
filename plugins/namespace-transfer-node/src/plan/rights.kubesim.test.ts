/**
 * Permissions up front, on kube-sim with RBAC enforced: an engine identity whose Role lacks a right the
 * copy needs is refused in the plan, every missing right named with the identity the cluster reports,
 * and the API server's trace shows it wrote nothing; one that may not even ask is warned about instead.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld, type TracedRequest } from 'kube-sim';
import { planAndCopy } from '../copy';
import { gatherFacts } from '../gather';
import { waitForPods } from '../kube';
import { COPY_ROLE_NAME, COPY_ROLE_RULES, copyRoleBinding } from '../rbac';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  refusedPlan,
} from '../testing/kubesim';
import { planTransfer } from './plan';

jest.setTimeout(300_000);

const ENGINE = 'system:serviceaccount:nst:engine';
const WRITES = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

/** The copy Role without some of its rules' resources or verbs. */
function rulesWithout(
  drop: (resource: string, verb: string) => boolean,
): V1PolicyRule[] {
  return COPY_ROLE_RULES.flatMap(rule =>
    (rule.resources ?? []).map(resource => ({
      ...rule,
      resources: [resource],
      verbs: rule.verbs.filter(verb => !drop(resource, verb)),
    })),
  ).filter(rule => rule.verbs.length > 0);
}

describe('rights checked in the plan on kube-sim', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let engine: KubeConfig;

  const spec = (id: string, from: string, to: string): TransferSpec => ({
    id,
    source: { cluster: 'east', namespace: from, name: 'data' },
    destination: { cluster: 'east', namespace: to, name: 'data' },
    mode: 'copy',
    intent: 'move',
    options: { endpoint: 'clusterip' },
  });

  async function bind(namespace: string, rules: V1PolicyRule[]) {
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name: COPY_ROLE_NAME, namespace }, rules },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: copyRoleBinding(namespace, { namespace: 'nst', name: 'engine' }),
    });
  }

  /** Names of everything the namespaces hold that a transfer could have made. */
  async function contents(namespaces: string[]): Promise<string[]> {
    const core = admin.makeApiClient(CoreV1Api);
    const out: string[] = [];
    for (const namespace of namespaces) {
      const lists = await Promise.all([
        core.listNamespacedPod({ namespace }),
        core.listNamespacedSecret({ namespace }),
        core.listNamespacedService({ namespace }),
        core.listNamespacedConfigMap({ namespace }),
        core.listNamespacedPersistentVolumeClaim({ namespace }),
      ]);
      for (const l of lists)
        for (const o of l.items as Array<{ metadata?: { name?: string } }>)
          out.push(`${namespace}/${o.metadata?.name}`);
    }
    return out.sort();
  }

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await ensureStorageClass(admin, 'fast');
    for (const ns of ['nst', 'app', 'shop', 'app2', 'shop2'])
      await ensureNamespace(admin, ns);
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: 'nst',
      body: { metadata: { name: 'engine' } },
    });
    for (const ns of ['app', 'app2']) {
      await createBoundPvc(admin, ns, 'data', 'fast');
      await createWorkload(admin, ns, 'web', 'data', 1001, 0);
    }
    // app -> shop: the destination's Role lacks Services; app2 -> shop2: the source's lacks creating pods
    await bind('app', COPY_ROLE_RULES);
    await bind(
      'shop',
      rulesWithout(resource => resource === 'services'),
    );
    await bind(
      'app2',
      rulesWithout(
        (resource, verb) => resource === 'pods' && verb === 'create',
      ),
    );
    await bind('shop2', COPY_ROLE_RULES);
    engine = world
      .cluster('east')
      .serviceAccountKubeConfig('nst', 'engine').kubeConfig;
  });

  afterAll(async () => {
    await world?.stop();
  });

  async function refusedWithTrace(s: TransferSpec) {
    const namespaces = [s.source.namespace, s.destination.namespace];
    const before = await contents(namespaces);
    const trace = world.cluster('east').apiServer.trace();
    const plan = await refusedPlan(
      planAndCopy({ spec: s, source: engine, destination: engine }),
    );
    const sent = trace.stop().filter((r: TracedRequest) => r.user === ENGINE);
    return { plan, sent, before, after: await contents(namespaces) };
  }

  it('refuses a copy whose destination Role lacks Services, naming every missing right, and writes nothing', async () => {
    const { plan, sent, before, after } = await refusedWithTrace(
      spec('rights-1', 'app', 'shop'),
    );
    expect(plan.refusals).toEqual(
      ['list', 'get', 'create', 'delete'].map(verb => ({
        code: 'MissingPermission',
        message: `forbidden: cannot ${verb} services in namespace shop (as ${ENGINE})`,
      })),
    );
    // it asked (a review per right) and read, and nothing else
    expect(
      sent.filter(r => r.resource === 'selfsubjectaccessreviews').length,
    ).toBeGreaterThan(20);
    expect(
      sent.filter(
        r =>
          WRITES.has(r.verb) &&
          !['selfsubjectaccessreviews', 'selfsubjectreviews'].includes(
            r.resource,
          ),
      ),
    ).toEqual([]);
    // refused only the optional cluster-scoped reads the plan warns about (namespaces, storage classes, PVs)
    expect(
      sent.filter(
        r =>
          r.code === 403 &&
          r.namespace !== undefined &&
          r.resource !== 'namespaces',
      ),
    ).toEqual([]);
    expect(after).toEqual(before);
  });

  it('refuses a copy whose source Role may not create pods', async () => {
    const { plan, sent, before, after } = await refusedWithTrace(
      spec('rights-2', 'app2', 'shop2'),
    );
    expect(plan.refusals).toEqual([
      {
        code: 'MissingPermission',
        message: `forbidden: cannot create pods in namespace app2 (as ${ENGINE})`,
      },
    ]);
    expect(sent.filter(r => WRITES.has(r.verb) && r.apiGroup === '')).toEqual(
      [],
    );
    expect(after).toEqual(before);
  });

  it('allows the same copy where the Roles grant everything, with no warning about rights', async () => {
    const facts = await gatherFacts({
      spec: { ...spec('rights-3', 'app', 'shop2'), intent: 'clone' },
      source: engine,
      destination: engine,
    });
    expect(facts.rights).toEqual({ missing: [], unchecked: [] });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    expect(plan.warnings.join('\n')).not.toMatch(/rights/);
  });

  it('refuses the nodeport endpoint to an identity that may not list nodes (the reader ClusterRole grants it)', async () => {
    const plan = planTransfer(
      await gatherFacts({
        spec: {
          ...spec('rights-5', 'app', 'shop2'),
          intent: 'clone',
          options: { endpoint: 'nodeport' },
        },
        source: engine,
        destination: engine,
      }),
    );
    expect(plan.refusals).toEqual([
      {
        code: 'MissingPermission',
        message: `forbidden: cannot list nodes cluster-wide (as ${ENGINE})`,
      },
    ]);
  });

  it('fails loudly when its Role lets it list pods but not watch them', async () => {
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'nst',
      body: {
        metadata: { name: 'list-pods', namespace: 'nst' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'nst',
      body: {
        metadata: { name: 'list-pods', namespace: 'nst' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'list-pods',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'engine', namespace: 'nst' },
        ],
      },
    });
    const trace = world.cluster('east').apiServer.trace();
    await expect(
      waitForPods(engine, 'nst', () => undefined, {
        what: 'the movers',
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow(/forbidden: cannot watch pods in namespace nst/);
    const sent = trace.stop().filter(r => r.user === ENGINE);
    // one list, one refused watch: no polling behind it
    expect(sent.map(r => `${r.verb} ${r.resource} ${r.code}`)).toEqual([
      'list pods 200',
      'watch pods 403',
    ]);
  });

  // last: it takes from every authenticated identity the right to ask what it may do
  it('warns instead of refusing when the identity may not ask what it may do', async () => {
    await admin
      .makeApiClient(RbacAuthorizationV1Api)
      .deleteClusterRoleBinding({ name: 'system:basic-user' });
    const facts = await gatherFacts({
      spec: spec('rights-4', 'app', 'shop'),
      source: engine,
      destination: engine,
    });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^could not check the source's rights in cluster east \(forbidden: cannot create selfsubjectaccessreviews.authorization.k8s.io cluster-wide \(as system:serviceaccount:nst:engine\)\)/,
        ),
        expect.stringMatching(/^could not check the destination's rights/),
      ]),
    );
  });
});
