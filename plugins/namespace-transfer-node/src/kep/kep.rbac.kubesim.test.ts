/**
 * Least privilege for rebind and the KEP controller: a ServiceAccount holding only the ClusterRole in
 * deploy/rbac/namespace-transfer-rebind.yaml (RBAC enforced by kube-sim) serves a request end to end, and
 * cannot delete PersistentVolumes.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  loadAllYaml,
  type KubeConfig,
  type V1ClusterRole,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import { createBoundPvc, createWorkload } from '../testing/kubesim';
import { APPROVALS, REQUESTS, startKepController, type KepController } from '.';
import {
  approval,
  kepObjects,
  prepareKepCluster,
  requestEnded,
  transferRequest,
} from './testing';

jest.setTimeout(300_000);

const DEPLOY = join(__dirname, '../../../../deploy');

describe('rebind with the deploy/ ClusterRole only', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let controller: KepController | undefined;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await prepareKepCluster(admin, join(DEPLOY, 'crds'), [
      'engine',
      'team-a',
      'team-b',
    ]);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    const [role] = loadAllYaml(
      readFileSync(join(DEPLOY, 'rbac/namespace-transfer-rebind.yaml'), 'utf8'),
    ) as V1ClusterRole[];
    await rbac.createClusterRole({ body: role });
    await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
      namespace: 'engine',
      body: { metadata: { name: 'nstransfer' } },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'nstransfer-rebind' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: role.metadata!.name!,
        },
        subjects: [
          { kind: 'ServiceAccount', namespace: 'engine', name: 'nstransfer' },
        ],
      },
    });
  });

  afterAll(async () => {
    await controller?.stop();
    await world?.stop();
  });

  // the objects are made and read as the admin; only the controller runs as the ServiceAccount
  const { create, until } = kepObjects(() => admin);

  it('serves a request and holds no right to delete volumes', async () => {
    await createBoundPvc(admin, 'team-a', 'data', 'movable');
    await createWorkload(admin, 'team-a', 'web', 'data', 1001, 1);
    const { kubeConfig: engine } = world
      .cluster('east')
      .serviceAccountKubeConfig('engine', 'nstransfer');
    const pvName = (
      await admin.makeApiClient(CoreV1Api).readNamespacedPersistentVolumeClaim({
        namespace: 'team-a',
        name: 'data',
      })
    ).spec!.volumeName!;
    await expect(
      engine.makeApiClient(CoreV1Api).deletePersistentVolume({ name: pvName }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      engine
        .makeApiClient(CoreV1Api)
        .listNamespacedSecret({ namespace: 'team-a' }),
    ).rejects.toMatchObject({ code: 403 });

    const logs: string[] = [];
    controller = startKepController({
      kubeConfig: engine,
      log: m => logs.push(m),
    });
    await controller.ready;
    await create(APPROVALS, 'team-a', approval('ok', 'data', 'team-b'));
    await create(
      REQUESTS,
      'team-b',
      transferRequest('want', { namespace: 'team-a', claim: 'data' }),
    );
    const done = await until(
      'team-b',
      'want',
      requestEnded,
      'the request to end',
    );
    expect({
      status: done.status?.phase,
      message: done.status?.message,
      logs,
    }).toMatchObject({ status: 'Succeeded' });
    expect(done.status?.volumeName).toBe(pvName);
  });
});
