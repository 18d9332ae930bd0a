/**
 * Rebind into a claim the user made (the KEP's story 1): the volume is bound to that claim instead of a
 * new one. The classes are WaitForFirstConsumer, as most CSI classes are: the user's claim, which no pod
 * uses, stays Pending and unprovisioned, as it does on a real cluster.
 */
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type FaultHandle, type SimWorld } from 'kube-sim';
import { createWorkload, ensureNamespace, volumeDir } from '../testing/kubesim';
import { pollUntil } from '../kube';
import { ensureClass, readThroughPod } from './testing';
import {
  HELD_BY,
  REBIND_STEPS,
  RebindRefusedError,
  runRebind,
  TRANSFERRED_FROM,
  TRANSFERRING,
} from '.';

jest.setTimeout(600_000);

const ENGINE = 'namespace-transfer-engine';
const CLASS = 'movable-late';
/** Immediate: the user's claim is left alone only because its dataSourceRef is for a populator */
const NOW = 'movable-now';
const REQUEST_REF = {
  apiGroup: 'transfer.namespace-transfer.io',
  kind: 'NamespaceTransferRequest',
  name: 'get-data',
};

const spec = (ns: string): TransferSpec => ({
  id: ns,
  source: { cluster: 'east', namespace: ns, name: 'data' },
  destination: { cluster: 'east', namespace: `${ns}-to`, name: 'mine' },
  mode: 'rebind',
  intent: 'move',
});

describe('rebind into the user’s claim on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let engine: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    engine = world.cluster('east').userKubeConfig({
      username: ENGINE,
      groups: ['system:masters'],
    });
    core = kc.makeApiClient(CoreV1Api);
    await ensureClass(kc, CLASS, 'true', 'WaitForFirstConsumer');
    await ensureClass(kc, NOW, 'true');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const claimBody = (
    name: string,
    size: string,
    labels?: Record<string, string>,
    o: { className?: string; fromRequest?: boolean } = {},
  ): V1PersistentVolumeClaim => ({
    metadata: { name, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: o.className ?? CLASS,
      resources: { requests: { storage: size } },
      ...(o.fromRequest ? { dataSourceRef: REQUEST_REF } : {}),
    },
  });

  /**
   * A source claim (1Gi, bound once its Deployment's pod was scheduled) with a file, and the user's
   * claim in the destination namespace, still Pending.
   */
  async function setup(
    ns: string,
    userSize: string,
    o: { className?: string; fromRequest?: boolean } = {},
  ) {
    await ensureNamespace(kc, ns);
    await ensureNamespace(kc, `${ns}-to`);
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: claimBody(
        'data',
        '1Gi',
        { app: 'web', team: 'a' },
        {
          className: o.className,
        },
      ),
    });
    await createWorkload(kc, ns, 'web', 'data', 1001, 1);
    writeFileSync(`${await volumeDir(kc, ns, 'data')}/hello.txt`, `${ns}\n`);
    const { spec: source } = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'data',
    });
    const mine = await core.createNamespacedPersistentVolumeClaim({
      namespace: `${ns}-to`,
      body: claimBody('mine', userSize, { app: 'mine' }, o),
    });
    await expectPending(
      ns,
      o.className === NOW ? 'ExternalProvisioning' : 'WaitForFirstConsumer',
    );
    return { pvName: source!.volumeName!, uid: mine.metadata!.uid! };
  }

  async function expectPending(ns: string, reason = 'WaitForFirstConsumer') {
    // the binder saw it: it reports the wait for a consumer, or hands it to the provisioner
    await pollUntil(
      async () =>
        (
          await core.listNamespacedEvent({
            namespace: `${ns}-to`,
            fieldSelector: 'involvedObject.name=mine',
          })
        ).items.some(e => e.reason === reason) || undefined,
      { timeoutMs: 30_000, what: `the binder's ${reason} event` },
    );
    const mine = await core.readNamespacedPersistentVolumeClaim({
      namespace: `${ns}-to`,
      name: 'mine',
    });
    expect(mine.status?.phase).toBe('Pending');
    expect(mine.spec?.volumeName).toBeFalsy();
  }

  async function expectAdopted(ns: string, pvName: string, uid: string) {
    const mine = await core.readNamespacedPersistentVolumeClaim({
      namespace: `${ns}-to`,
      name: 'mine',
    });
    // the user's claim itself, not one made in its place
    expect(mine.metadata?.uid).toBe(uid);
    expect(mine.status?.phase).toBe('Bound');
    expect(mine.spec?.volumeName).toBe(pvName);
    // the source's labels only where the user's claim has none of its own
    expect(mine.metadata?.labels).toEqual({ app: 'mine', team: 'a' });
    expect(mine.metadata?.annotations?.[TRANSFERRED_FROM]).toBe(`${ns}/data`);
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef).toMatchObject({
      namespace: `${ns}-to`,
      name: 'mine',
      uid,
    });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    await expect(
      core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'data' }),
    ).rejects.toMatchObject({ code: 404 });
    expect(await readThroughPod(kc, `${ns}-to`, 'mine', 'hello.txt')).toBe(
      `${ns}\n`,
    );
  }

  async function expectSourceAsItWas(ns: string, pvName: string) {
    const src = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'data',
    });
    expect(src.status?.phase).toBe('Bound');
    expect(src.spec?.volumeName).toBe(pvName);
    expect(src.metadata?.annotations?.[TRANSFERRING]).toBeUndefined();
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef).toMatchObject({
      namespace: ns,
      name: 'data',
      uid: src.metadata!.uid,
    });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(web.spec!.replicas).toBe(1);
  }

  it('binds the volume to the user’s Pending claim, data readable through it', async () => {
    const { pvName, uid } = await setup('adopt-0', '1Gi');
    const result = await runRebind({
      spec: spec('adopt-0'),
      kubeConfig: engine,
      adoptDestination: true,
    });
    expect(result.checkpoint.completedSteps).toEqual([...REBIND_STEPS]);
    expect(result.checkpoint.state.preconditions).toMatchObject({
      adopted: { uid },
    });
    await expectAdopted('adopt-0', pvName, uid);
  });

  it('the KEP’s story 1: a claim whose dataSourceRef names the request, in an Immediate class the provisioner leaves it alone in', async () => {
    const { pvName, uid } = await setup('adopt-4', '1Gi', {
      className: NOW,
      fromRequest: true,
    });
    await runRebind({
      spec: spec('adopt-4'),
      kubeConfig: engine,
      adoptDestination: true,
    });
    await expectAdopted('adopt-4', pvName, uid);
    const mine = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'adopt-4-to',
      name: 'mine',
    });
    // the API server mirrors a dataSourceRef without a namespace into dataSource
    expect(mine.spec?.dataSourceRef).toMatchObject(REQUEST_REF);
    expect(mine.spec?.dataSource).toMatchObject(REQUEST_REF);
  });

  it('refuses a claim that asks for more than the volume holds, changing nothing', async () => {
    const { pvName } = await setup('adopt-1', '2Gi');
    const err = await runRebind({
      spec: spec('adopt-1'),
      kubeConfig: engine,
      adoptDestination: true,
    }).catch(e => e);
    expect(err).toBeInstanceOf(RebindRefusedError);
    expect((err as RebindRefusedError).failures).toEqual([
      {
        precondition: 'DestinationClaimFits',
        code: 'DestinationTooSmall',
        message: 'claim adopt-1-to/mine asks for 2Gi, the volume holds 1Gi',
      },
    ]);
    await expectSourceAsItWas('adopt-1', pvName);
    await expectPending('adopt-1');
  });

  it('a crash after the claimRef points at the user’s claim: a resume adopts it, as its checkpoint says', async () => {
    const { pvName, uid } = await setup('adopt-2', '1Gi');
    let saved: TransferCheckpoint | undefined;
    void runRebind({
      spec: spec('adopt-2'),
      kubeConfig: engine,
      adoptDestination: true,
      onCheckpoint: c => {
        saved = c;
        // the "process" stops here: nothing more of this run happens
        return c.completedSteps.at(-1) === 'point-claim-ref'
          ? new Promise<void>(() => {})
          : undefined;
      },
    });
    await pollUntil(
      async () =>
        saved?.completedSteps.at(-1) === 'point-claim-ref' || undefined,
      { timeoutMs: 120_000, what: 'the point-claim-ref checkpoint' },
    );
    expect(saved?.state.preconditions).toMatchObject({ adopted: { uid } });
    // the resumed run is not told to adopt: the checkpoint decides
    await runRebind({
      spec: spec('adopt-2'),
      kubeConfig: engine,
      checkpoint: saved,
    });
    await expectAdopted('adopt-2', pvName, uid);
  });

  it('a failure after the source claim is gone gives the volume back, leaves the user’s claim in place, and a retry adopts it', async () => {
    const { pvName, uid } = await setup('adopt-3', '1Gi');
    let handle: FaultHandle | undefined;
    let givenBack: TransferCheckpoint | undefined;
    const err = await runRebind({
      spec: spec('adopt-3'),
      kubeConfig: engine,
      adoptDestination: true,
      onCheckpoint: c => {
        givenBack = c;
        if (c.completedSteps.at(-1) !== 'point-claim-ref') return;
        // the adoption's write of the user's claim fails
        handle = world.cluster('east').apiServer.faults.add({
          user: ENGINE,
          verb: 'update',
          resource: 'persistentvolumeclaims',
          namespace: 'adopt-3-to',
          errorRate: 1,
          status: 403,
          count: 1,
        });
      },
    }).catch(e => e);
    expect(handle?.hits).toBe(1);
    expect(String(err)).toMatch(/403|Forbidden/);
    await expectSourceAsItWas('adopt-3', pvName);
    // never deleted: the same claim, without our annotation; the volume is no longer its
    const mine = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'adopt-3-to',
      name: 'mine',
    });
    expect(mine.metadata?.uid).toBe(uid);
    expect(mine.metadata?.deletionTimestamp).toBeUndefined();
    expect(mine.metadata?.annotations?.[TRANSFERRED_FROM]).toBeUndefined();
    expect(
      readFileSync(
        `${await volumeDir(kc, 'adopt-3', 'data')}/hello.txt`,
        'utf8',
      ),
    ).toBe('adopt-3\n');

    // the retry a controller makes: the claim, which may name the volume since (Lost), is adopted again
    expect(givenBack?.completedSteps).toEqual(['given-back']);
    await runRebind({
      spec: spec('adopt-3'),
      kubeConfig: engine,
      adoptDestination: true,
      checkpoint: givenBack,
    });
    await expectAdopted('adopt-3', pvName, uid);
  });
});
