/**
 * Least privilege for rebind and the KEP controller: a ServiceAccount holding only the ClusterRole in
 * deploy/rbac/namespace-transfer-rebind.yaml (RBAC enforced by kube-sim) serves a request end to end, and
 * cannot delete PersistentVolumes.
 */
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  loadAllYaml,
  type KubeConfig,
  type V1ClusterRole,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
} from '../testing/kubesim';
import { pollUntil } from '../kube';
import { ensureClass } from '../rebind/testing';
import {
  APPROVALS,
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  startKepController,
  type KepController,
  type NamespaceTransferRequest,
} from '.';

jest.setTimeout(300_000);

const DEPLOY = join(__dirname, '../../../../deploy');

describe('rebind with the deploy/ ClusterRole only', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let controller: KepController | undefined;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    const ext = admin.makeApiClient(ApiextensionsV1Api);
    for (const f of readdirSync(join(DEPLOY, 'crds'))) {
      for (const doc of loadAllYaml(
        readFileSync(join(DEPLOY, 'crds', f), 'utf8'),
      ))
        await ext.createCustomResourceDefinition({
          body: doc as V1CustomResourceDefinition,
        });
    }
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    const [role] = loadAllYaml(
      readFileSync(join(DEPLOY, 'rbac/namespace-transfer-rebind.yaml'), 'utf8'),
    ) as V1ClusterRole[];
    await rbac.createClusterRole({ body: role });
    for (const ns of ['engine', 'team-a', 'team-b'])
      await ensureNamespace(admin, ns);
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
    await ensureClass(admin, 'movable', 'true');
  });

  afterAll(async () => {
    await controller?.stop();
    await world?.stop();
  });

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
    const custom = admin.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural: APPROVALS,
      namespace: 'team-a',
      body: {
        apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
        kind: 'NamespaceTransferApproval',
        metadata: { name: 'ok' },
        spec: {
          source: { name: 'data', kind: 'PersistentVolumeClaim' },
          targetNamespace: 'team-b',
        },
      },
    });
    await custom.createNamespacedCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural: REQUESTS,
      namespace: 'team-b',
      body: {
        apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
        kind: 'NamespaceTransferRequest',
        metadata: { name: 'want' },
        spec: {
          source: {
            name: 'data',
            namespace: 'team-a',
            kind: 'PersistentVolumeClaim',
          },
        },
      },
    });
    const done = await pollUntil(
      async () => {
        const r = (await custom.getNamespacedCustomObject({
          group: KEP_GROUP,
          version: KEP_VERSION,
          plural: REQUESTS,
          namespace: 'team-b',
          name: 'want',
        })) as NamespaceTransferRequest;
        return r.status?.phase === 'Succeeded' || r.status?.phase === 'Failed'
          ? r
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the request to end' },
    );
    expect({
      status: done.status?.phase,
      message: done.status?.message,
      logs,
    }).toMatchObject({ status: 'Succeeded' });
    expect(done.status?.volumeName).toBe(pvName);
  });
});
