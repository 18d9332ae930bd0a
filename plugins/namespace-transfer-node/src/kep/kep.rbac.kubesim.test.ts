/**
 * Least privilege for rebind and the KEP controller: the ServiceAccount `namespace-transfer-engine` holds
 * only what deploy/rbac binds to it (the rebind ClusterRole, the Lease Role in namespace-transfer-system;
 * RBAC enforced by kube-sim), elects itself leader, serves a request end to end (and cannot delete
 * PersistentVolumes), and serves the KEP's story 1: a claim whose dataSourceRef names the request receives
 * the volume; one the volume cannot satisfy is refused and the source stays as it was.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  loadAllYaml,
  type KubeConfig,
  type KubernetesObject,
  type V1ClusterRole,
  type V1ClusterRoleBinding,
  type V1Role,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import { readThroughPod } from '../rebind/testing';
import { createBoundPvc, createWorkload } from '../testing/kubesim';
import {
  APPROVALS,
  KEP_GROUP,
  REQUESTS,
  startKepController,
  type KepController,
} from '.';
import {
  approval,
  kepObjects,
  prepareKepCluster,
  requestEnded,
  transferRequest,
} from './testing';

jest.setTimeout(300_000);

const DEPLOY = join(__dirname, '../../../../deploy');
const SYSTEM = 'namespace-transfer-system';
const ENGINE = 'namespace-transfer-engine';

const manifests = (file: string) =>
  loadAllYaml(
    readFileSync(join(DEPLOY, 'rbac', file), 'utf8'),
  ) as KubernetesObject[];

/** deploy/'s rebind ClusterRole and Lease Role, and their bindings to the engine's ServiceAccount. */
async function applyEngineRights(admin: KubeConfig): Promise<void> {
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const [rebind] = manifests('namespace-transfer-rebind.yaml');
  await rbac.createClusterRole({ body: rebind as V1ClusterRole });
  for (const b of manifests('namespace-transfer-bindings.yaml'))
    if ((b as V1ClusterRoleBinding).roleRef.name === rebind.metadata!.name)
      await rbac.createClusterRoleBinding({ body: b as V1ClusterRoleBinding });
  for (const o of manifests('namespace-transfer-kep-leader.yaml')) {
    if (o.kind === 'Role')
      await rbac.createNamespacedRole({ namespace: SYSTEM, body: o as V1Role });
    else
      await rbac.createNamespacedRoleBinding({
        namespace: SYSTEM,
        body: o as V1RoleBinding,
      });
  }
  await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
    namespace: SYSTEM,
    body: { metadata: { name: ENGINE } },
  });
}

/** A claim made by the user for the request (the KEP's story 1). */
const claimFor = (name: string, request: string, size: string) => ({
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'movable',
    resources: { requests: { storage: size } },
    dataSourceRef: {
      apiGroup: KEP_GROUP,
      kind: 'NamespaceTransferRequest',
      name: request,
    },
  },
});

describe('the KEP controller with the deploy/ roles only', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let engine: KubeConfig;
  let controller: KepController | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await prepareKepCluster(admin, join(DEPLOY, 'crds'), [
      SYSTEM,
      'team-a',
      'team-b',
    ]);
    await applyEngineRights(admin);
    engine = world
      .cluster('east')
      .serviceAccountKubeConfig(SYSTEM, ENGINE).kubeConfig;
  });

  afterAll(async () => {
    await controller?.stop();
    await world?.stop();
  });

  // the objects are made and read as the admin; only the controller runs as the ServiceAccount
  const { create, until, approvalUntil } = kepObjects(() => admin, logs);
  const core = () => admin.makeApiClient(CoreV1Api);
  const claim = (namespace: string, name: string) =>
    core().readNamespacedPersistentVolumeClaim({ namespace, name });

  it('leads through its Lease, serves a request and holds no right to delete volumes', async () => {
    await createBoundPvc(admin, 'team-a', 'data', 'movable');
    await createWorkload(admin, 'team-a', 'web', 'data', 1001, 1);
    const pvName = (await claim('team-a', 'data')).spec!.volumeName!;
    await expect(
      engine.makeApiClient(CoreV1Api).deletePersistentVolume({ name: pvName }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(
      engine
        .makeApiClient(CoreV1Api)
        .listNamespacedSecret({ namespace: 'team-a' }),
    ).rejects.toMatchObject({ code: 403 });

    controller = startKepController({
      kubeConfig: engine,
      log: m => logs.push(m),
      leaderElection: { namespace: SYSTEM, retryPeriodMs: 200 },
    });
    await controller.ready;
    await create(APPROVALS, 'team-a', approval('ok', 'data', 'team-b'));
    await create(
      REQUESTS,
      'team-b',
      transferRequest('want', { namespace: 'team-a', claim: 'data' }),
    );
    const done = await until('team-b', 'want', requestEnded, 'the request');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.volumeName).toBe(pvName);
    expect(controller.isLeader()).toBe(true);
    // the approval's status was written through its subresource, with the role's right to
    const ok = await approvalUntil(
      'team-a',
      'ok',
      x => x.status?.phase === 'Used',
      'the approval to be Used',
    );
    expect(ok.status).toMatchObject({
      phase: 'Used',
      matchedRequest: { namespace: 'team-b', name: 'want' },
    });
  });

  it("story 1: the user's claim naming the request receives the source's volume and its data", async () => {
    const dir = await createBoundPvc(admin, 'team-a', 'reports', 'movable');
    writeFileSync(`${dir}/q3.csv`, 'q,total\n3,42\n');
    const pvName = (await claim('team-a', 'reports')).spec!.volumeName!;
    await core().createNamespacedPersistentVolumeClaim({
      namespace: 'team-b',
      body: claimFor('my-reports', 'want-reports', '1Gi'),
    });
    await create(
      APPROVALS,
      'team-a',
      approval('reports-to-b', 'reports', 'team-b'),
    );
    await create(
      REQUESTS,
      'team-b',
      transferRequest('want-reports', {
        namespace: 'team-a',
        claim: 'reports',
      }),
    );
    const done = await until('team-b', 'want-reports', requestEnded, 'story 1');
    expect(done.status).toMatchObject({
      phase: 'Succeeded',
      destinationClaim: 'team-b/my-reports',
      volumeName: pvName,
    });
    const mine = await claim('team-b', 'my-reports');
    expect(mine.spec?.volumeName).toBe(pvName);
    expect(mine.status?.phase).toBe('Bound');
    expect(await readThroughPod(admin, 'team-b', 'my-reports', 'q3.csv')).toBe(
      'q,total\n3,42\n',
    );
  });

  it('story 1: a claim the volume cannot satisfy is refused and the source stays', async () => {
    await createBoundPvc(admin, 'team-a', 'small', 'movable');
    const before = await claim('team-a', 'small');
    await core().createNamespacedPersistentVolumeClaim({
      namespace: 'team-b',
      body: claimFor('too-big', 'want-small', '10Gi'),
    });
    await create(
      APPROVALS,
      'team-a',
      approval('small-to-b', 'small', 'team-b'),
    );
    await create(
      REQUESTS,
      'team-b',
      transferRequest('want-small', { namespace: 'team-a', claim: 'small' }),
    );
    const r = await until(
      'team-b',
      'want-small',
      x => x.status?.phase === 'Failed',
      'the refusal',
    );
    expect(r.status?.message).toContain('DestinationClaimFits');
    expect(r.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Failed',
          reason: 'DestinationClaimRefused',
        }),
      ]),
    );
    const after = await claim('team-a', 'small');
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.spec?.volumeName).toBe(before.spec?.volumeName);
    expect(after.metadata?.annotations ?? {}).toEqual(
      before.metadata?.annotations ?? {},
    );
    // the user's claim is left alone: nothing provisions it, nothing binds it
    expect((await claim('team-b', 'too-big')).status?.phase).toBe('Pending');
  });
});
