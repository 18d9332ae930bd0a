/**
 * Rebind's preconditions check the rights of the rebind ClusterRole up front: an identity whose
 * ClusterRole may not update PersistentVolumes is refused before the first step, with the volume, the
 * claims and the workload as they were, instead of failing at record-reclaim-policy.
 */
import {
  AppsV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import { REBIND_CLUSTER_ROLE_RULES } from '../rbac';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
} from '../testing/kubesim';
import { ensureClass } from './testing';
import { RebindRefusedError, runRebind } from '.';

jest.setTimeout(300_000);

const USER = 'system:serviceaccount:nst:rebinder';

describe('rebind refused for a missing right before anything changes', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let rebinder: KubeConfig;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await ensureClass(admin, 'movable', 'true');
    for (const ns of ['nst', 'shop', 'shop2']) await ensureNamespace(admin, ns);
    await createBoundPvc(admin, 'shop', 'data', 'movable');
    await createWorkload(admin, 'shop', 'web', 'data', 1001, 1);
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: 'nst',
      body: { metadata: { name: 'rebinder' } },
    });
    // the rebind ClusterRole, less updating PersistentVolumes
    const rules = REBIND_CLUSTER_ROLE_RULES.map(rule =>
      rule.resources?.includes('persistentvolumes')
        ? { ...rule, verbs: rule.verbs.filter(v => v !== 'update') }
        : rule,
    );
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: { metadata: { name: 'rebind-less-pv-update' }, rules },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'rebind-less-pv-update' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'rebind-less-pv-update',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'rebinder', namespace: 'nst' },
        ],
      },
    });
    rebinder = world
      .cluster('east')
      .serviceAccountKubeConfig('nst', 'rebinder').kubeConfig;
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('refuses with MissingPermission, writing nothing', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const claim = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'shop',
      name: 'data',
    });
    const pvBefore = await core.readPersistentVolume({
      name: claim.spec!.volumeName!,
    });
    const trace = world.cluster('east').apiServer.trace();
    const outcome = await runRebind({
      spec: {
        id: 'rights-rb',
        source: { cluster: 'east', namespace: 'shop', name: 'data' },
        destination: { cluster: 'east', namespace: 'shop2', name: 'data' },
        mode: 'rebind',
        intent: 'move',
      },
      kubeConfig: rebinder,
    }).catch((e: unknown) => e);
    const sent = trace.stop().filter(r => r.user === USER);
    expect(outcome).toBeInstanceOf(RebindRefusedError);
    expect((outcome as RebindRefusedError).failures).toEqual([
      {
        precondition: 'RightsGranted',
        code: 'MissingPermission',
        message: `forbidden: cannot update persistentvolumes cluster-wide (as ${USER})`,
      },
    ]);
    const writes = ['create', 'update', 'patch', 'delete'];
    expect(
      sent.filter(
        r => writes.includes(r.verb) && !r.resource.startsWith('self'),
      ),
    ).toEqual([]);
    const pvAfter = await core.readPersistentVolume({
      name: claim.spec!.volumeName!,
    });
    expect(pvAfter.metadata?.resourceVersion).toBe(
      pvBefore.metadata?.resourceVersion,
    );
    const web = await admin
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ namespace: 'shop', name: 'web' });
    expect(web.spec?.replicas).toBe(1);
    await expect(
      core.readNamespacedPersistentVolumeClaim({
        namespace: 'shop2',
        name: 'data',
      }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
