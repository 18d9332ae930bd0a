/**
 * The engine's one entry point on kube-sim: a hand-over stops a copy while its mover runs, or past the
 * point of no return, or a rebind half-way, rolling back nothing, and a resume from the checkpoint adopts
 * what is there and finishes; a plan that changed since its approval creates nothing; a cancel still rolls
 * back; a move cancelled between verify and marking its source, or before its resume, rolls back; a rebind
 * that fails after its source claim went gives the volume back and says so, or stays past its point for a
 * resume when it cannot.
 */
import {
  AppsV1Api,
  CoreV1Api,
  Watch,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type FaultHandle, type SimWorld } from 'kube-sim';
import { pollUntil } from '../kube';
import { DEFAULT_ID } from '../permissions/identity';
import { transferSelector } from '../naming';
import { ensureClass, readThroughPod } from '../rebind/testing';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  restrictedPod,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import {
  planTransferRun,
  runTransfer,
  type TransferRunEvent,
  type TransferRunOptions,
} from '.';

jest.setTimeout(180_000);

const copySpec = (
  id: string,
  name: string,
  to: { cluster: string; name: string },
): TransferSpec => ({
  id,
  source: { cluster: 'east', namespace: 'shop', name },
  destination: { cluster: to.cluster, namespace: 'shop', name: to.name },
  mode: 'copy',
  intent: 'clone',
});

describe('runTransfer on kube-sim', () => {
  let world: SimWorld;
  let east: KubeConfig;
  let west: KubeConfig;

  beforeAll(async () => {
    world = await startClusters([
      { name: 'east' },
      { name: 'west', openshift: true },
    ]);
    east = world.cluster('east').kubeConfig();
    west = world.cluster('west').kubeConfig();
    for (const kc of [east, west]) {
      await ensureStorageClass(kc, 'fast');
      await ensureNamespace(kc, 'shop');
    }
    await ensureClass(east, 'movable', 'true');
    await ensureNamespace(east, 'shop-to');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const clusters = { east: () => east, west: () => west };
  const options = (spec: TransferSpec): TransferRunOptions => ({
    spec,
    source: clusters[spec.source.cluster as 'east'](),
    destination: clusters[spec.destination.cluster as 'west'](),
  });

  /** A real tree, owned by whom the mover reads it as (the application's user, else the engine's default). */
  const tree = (
    root: string,
    o: { smallFiles: number; largeBytes?: number },
    uid = DEFAULT_ID,
  ) => {
    buildTree(root, { sparseBytes: 8 * 1024 * 1024, ...o });
    chownTree(root, uid, uid);
  };

  const sameTree = async (src: string, kc: KubeConfig, name: string) => {
    const a = scanTree(src);
    const b = scanTree(await volumeDir(kc, 'shop', name));
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    // checksums, links, times and sparseness; not modes: without an application of its own in the
    // destination namespace, OpenShift's uid range makes the files group-writable on purpose
    return diffTrees(a, b, { modes: false });
  };

  /** Everything labelled with the transfer's id on both clusters (destination claims only with `pvcs`). */
  const leftovers = async (id: string, opts: { pvcs?: boolean } = {}) => [
    ...(await transferLeftovers(east, 'shop', id, opts)),
    ...(await transferLeftovers(west, 'shop', id, opts)),
  ];
  const nothingLeft = (id: string, opts: { pvcs?: boolean } = {}) =>
    pollUntil(
      async () => ((await leftovers(id, opts)).length ? undefined : true),
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: `the objects of ${id} to go`,
      },
    );

  const readPod = (kc: KubeConfig, name: string) =>
    kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPod({ namespace: 'shop', name })
      .catch(() => undefined);

  /** Every pod of the transfer that was created in the namespace, by name, as a set of uids (a watch). */
  async function podsCreated(kc: KubeConfig, id: string) {
    const created = new Map<string, Set<string>>();
    const watch = await new Watch(kc).watch(
      '/api/v1/namespaces/shop/pods',
      { labelSelector: transferSelector(id) },
      (type, pod: V1Pod) => {
        if (type !== 'ADDED') return;
        const name = pod.metadata!.name!;
        created.set(
          name,
          (created.get(name) ?? new Set()).add(pod.metadata!.uid!),
        );
      },
      () => undefined,
    );
    return { created, stop: () => watch.abort() };
  }

  it('hands over a copy while its staging sync runs, rolls back nothing, and a resume adopts the running mover', async () => {
    const src = await createBoundPvc(east, 'shop', 'data', 'fast');
    tree(src, { smallFiles: 150, largeBytes: 64 * 1024 * 1024 }, 1001);
    await createWorkload(east, 'shop', 'web', 'data', 1001, 1);
    const spec = copySpec('ho-sync', 'data', { cluster: 'west', name: 'data' });
    const client = 'nst-ho-sync-client-stage-1';
    const kubelet = world.cluster('east').kubelet;
    const pods = await podsCreated(east, spec.id);
    const servers = await podsCreated(west, spec.id);
    const handOver = new AbortController();
    const first: TransferRunEvent[] = [];
    let frozen = false;
    let freezing = false;
    const checkpoints: TransferCheckpoint[] = [];
    // the kubelet reports the mover's pod started: freeze its rsync at once (it stays Running), then hand
    // over. Freezing on a progress sample instead raced the mover: on a quiet machine the copy was done
    // before the signal came.
    const freeze = world.cluster('east').apiServer.faults.add({
      verb: 'patch',
      resource: 'pods/status',
      namespace: 'shop',
      name: client,
      when: () => {
        if (!frozen && !freezing) {
          freezing = true;
          setImmediate(() =>
            kubelet
              .killPod('shop', client, {
                container: 'rsync',
                signal: 'SIGSTOP',
              })
              .then(() => {
                frozen = true;
                handOver.abort(new Error('the worker is stopping'));
              })
              // not started yet: the next status report tries again
              .catch(() => (freezing = false)),
          );
        }
        return false;
      },
    });
    const handedOver = await runTransfer({
      ...options(spec),
      handOver: handOver.signal,
      onCheckpoint: c => {
        checkpoints.push(c);
      },
      onEvent: e => {
        first.push(e);
      },
    }).finally(() => freeze.remove());
    expect(frozen).toBe(true);
    expect(handedOver).toMatchObject({
      outcome: 'handed-over',
      mode: 'copy',
      pastPointOfNoReturn: false,
    });
    expect(handedOver.error).toBeUndefined();
    // the checkpoint is the last finished step's: the sync in flight is not in it
    expect(handedOver.checkpoint).toEqual(checkpoints.at(-1));
    expect(handedOver.checkpoint!.completedSteps).toEqual([
      'provision-destination',
      'expose',
      'credentials',
      'server',
    ]);
    // nothing was rolled back: the destination claim, the server and the (frozen) client pod are there
    const phases = first.flatMap(e => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).not.toContain('RollingBack');
    expect(await leftovers(spec.id, { pvcs: true })).toEqual(
      expect.arrayContaining(['data', 'nst-ho-sync-server', client]),
    );
    const running = await readPod(east, client);
    expect(running?.status?.phase).toBe('Running');
    expect(
      running?.status?.containerStatuses?.find(c => c.name === 'rsync')?.state
        ?.running,
    ).toBeDefined();

    const second: TransferRunEvent[] = [];
    const resumed = await runTransfer({
      ...options(spec),
      checkpoint: handedOver.checkpoint,
      plan: handedOver.plan,
      onEvent: e => {
        second.push(e);
        // the resume goes back into the sync step: the frozen mover may carry on now
        if (e.type === 'phase' && e.phase === 'Staging')
          void kubelet.killPod('shop', client, {
            container: 'rsync',
            signal: 'SIGCONT',
          });
      },
    });
    pods.stop();
    servers.stop();
    expect(resumed).toMatchObject({ outcome: 'succeeded', mode: 'copy' });
    expect(resumed.pastPointOfNoReturn).toBe(true);
    // the resumed step followed the mover it found to its end instead of starting another one
    expect(pods.created.get(client)?.size).toBe(1);
    expect(servers.created.get('nst-ho-sync-server')?.size).toBe(1);
    expect(second.some(e => e.type === 'progress' && e.run === 'stage-1')).toBe(
      true,
    );
    expect(await sameTree(src, west, 'data')).toEqual([]);
    await nothingLeft(spec.id);
    // a clone gives the application back
    const web = await east
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ namespace: 'shop', name: 'web' });
    expect(web.spec?.replicas).toBe(1);
  });

  it('hands over past the point of no return without rolling back, and a resume finishes', async () => {
    const src = await createBoundPvc(east, 'shop', 'small', 'fast');
    tree(src, { smallFiles: 40 });
    const spec = copySpec('ho-past', 'small', {
      cluster: 'west',
      name: 'small',
    });
    const handOver = new AbortController();
    const told: boolean[] = [];
    const handedOver = await runTransfer({
      ...options(spec),
      handOver: handOver.signal,
      onCheckpoint: (_, about) => {
        told.push(about.pastPointOfNoReturn);
        if (about.pastPointOfNoReturn) handOver.abort();
      },
    });
    expect(handedOver).toMatchObject({
      outcome: 'handed-over',
      pastPointOfNoReturn: true,
      checkpoint: { pastPointOfNoReturn: true },
    });
    expect(handedOver.checkpoint!.completedSteps.at(-1)).toBe('verify');
    // the worker learns it with the checkpoint that crossed the point
    expect(told.at(-1)).toBe(true);
    expect(told.filter(x => x)).toHaveLength(1);
    // nothing was cleaned up or rolled back: the verified copy and the engine's objects stay
    expect(await leftovers(spec.id, { pvcs: true })).toEqual(
      expect.arrayContaining(['small', 'nst-ho-past-server']),
    );
    const resumed = await runTransfer({
      ...options(spec),
      checkpoint: handedOver.checkpoint,
      plan: handedOver.plan,
    });
    expect(resumed).toMatchObject({
      outcome: 'succeeded',
      pastPointOfNoReturn: true,
    });
    expect(resumed.checkpoint!.completedSteps).toEqual(
      expect.arrayContaining(['finalize', 'cleanup']),
    );
    expect(await sameTree(src, west, 'small')).toEqual([]);
    await nothingLeft(spec.id);
  });

  it('hands over a rebind after its source claim went, gives nothing back, and a resume binds the destination', async () => {
    const dir = await createBoundPvc(east, 'shop', 'vol', 'movable');
    writeFileSync(`${dir}/hello.txt`, 'handed over\n');
    const core = east.makeApiClient(CoreV1Api);
    const pvName = (
      await core.readNamespacedPersistentVolumeClaim({
        namespace: 'shop',
        name: 'vol',
      })
    ).spec!.volumeName!;
    const spec: TransferSpec = {
      id: 'ho-rebind',
      source: { cluster: 'east', namespace: 'shop', name: 'vol' },
      destination: { cluster: 'east', namespace: 'shop-to', name: 'vol' },
      mode: 'rebind',
      intent: 'move',
    };
    const handOver = new AbortController();
    const handedOver = await runTransfer({
      spec,
      source: east,
      destination: east,
      handOver: handOver.signal,
      onCheckpoint: c => {
        if (c.completedSteps.includes('delete-source')) handOver.abort();
      },
    });
    expect(handedOver).toMatchObject({
      outcome: 'handed-over',
      mode: 'rebind',
      pastPointOfNoReturn: true,
    });
    expect(handedOver.checkpoint!.completedSteps.at(-1)).toBe('delete-source');
    // not given back: the source claim stays gone, the volume Retain and unclaimed by anyone new
    const claim = (ns: string) =>
      core
        .readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'vol' })
        .catch(() => undefined);
    expect(await claim('shop')).toBeUndefined();
    expect(await claim('shop-to')).toBeUndefined();
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Retain');

    // the source claim is gone, so the resume cannot plan again: it runs with its first plan
    const resumed = await runTransfer({
      spec,
      source: east,
      destination: east,
      checkpoint: handedOver.checkpoint,
      plan: handedOver.plan,
    });
    expect(resumed).toMatchObject({ outcome: 'succeeded', mode: 'rebind' });
    const moved = await claim('shop-to');
    expect(moved?.spec?.volumeName).toBe(pvName);
    expect(moved?.status?.phase).toBe('Bound');
    expect(await readThroughPod(east, 'shop-to', 'vol', 'hello.txt')).toBe(
      'handed over\n',
    );
    const after = await core.readPersistentVolume({ name: pvName });
    expect(after.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
  });

  it('stops with plan-changed, creating nothing, when the claim came into use after the approval', async () => {
    const src = await createBoundPvc(east, 'shop', 'idle', 'fast');
    tree(src, { smallFiles: 10 });
    const spec = copySpec('changed', 'idle', { cluster: 'west', name: 'idle' });
    const { plan: approved } = await planTransferRun(options(spec));
    expect(approved).toMatchObject({ allowed: true, workloads: [] });
    const core = east.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'shop',
      body: restrictedPod('reporter', ['sleep', '3600'], { claim: 'idle' }),
    });
    await pollUntil(
      async () =>
        (await readPod(east, 'reporter'))?.status?.phase === 'Running'
          ? true
          : undefined,
      { timeoutMs: 30_000, what: 'pod reporter to run' },
    );
    const checkpoints: TransferCheckpoint[] = [];
    const events: TransferRunEvent[] = [];
    const r = await runTransfer({
      ...options(spec),
      approvedPlan: approved,
      onEvent: e => events.push(e),
      onCheckpoint: c => {
        checkpoints.push(c);
      },
    });
    expect(r.outcome).toBe('plan-changed');
    expect(r.planChanges).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/now in use by 1 pod \(reporter\)/),
      ]),
    );
    expect((r.plan as Plan).usedBy?.pods).toEqual(['reporter']);
    expect(checkpoints).toEqual([]);
    expect(events.map(e => e.type)).toEqual(['plan']);
    expect(await leftovers(spec.id, { pvcs: true })).toEqual([]);
    expect(
      await west
        .makeApiClient(CoreV1Api)
        .readNamespacedPersistentVolumeClaim({
          namespace: 'shop',
          name: 'idle',
        })
        .catch(() => undefined),
    ).toBeUndefined();
    await core.deleteNamespacedPod({
      namespace: 'shop',
      name: 'reporter',
      gracePeriodSeconds: 0,
    });
  });

  it('still rolls back on a cancel', async () => {
    const src = await createBoundPvc(east, 'shop', 'undo', 'fast');
    tree(src, { smallFiles: 10 });
    const spec = copySpec('cancel', 'undo', { cluster: 'west', name: 'undo' });
    const cancel = new AbortController();
    const phases: string[] = [];
    const r = await runTransfer({
      ...options(spec),
      signal: cancel.signal,
      onEvent: e => {
        if (e.type === 'phase') phases.push(e.phase);
      },
      // the server runs: the next step is not started, and all of it goes
      onCheckpoint: c => {
        if (c.completedSteps.includes('server'))
          cancel.abort(new Error('cancelled by the user'));
      },
    });
    expect(r).toMatchObject({
      outcome: 'cancelled',
      pastPointOfNoReturn: false,
      error: 'cancelled by the user',
    });
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    await nothingLeft(spec.id, { pvcs: true });
  });

  const replicasOf = async (name: string) =>
    (
      await east
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ namespace: 'shop', name })
    ).spec?.replicas;
  const claimIn = (kc: KubeConfig, namespace: string, name: string) =>
    kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPersistentVolumeClaim({ namespace, name })
      .catch(() => undefined);

  /** A move of a claim its own running application uses, without staging (one sync while it is stopped). */
  async function moveOfAppClaim(id: string, name: string) {
    const src = await createBoundPvc(east, 'shop', name, 'fast');
    tree(src, { smallFiles: 20 }, 1001);
    await createWorkload(east, 'shop', `${name}-app`, name, 1001, 1);
    const spec: TransferSpec = {
      ...copySpec(id, name, { cluster: 'west', name }),
      intent: 'move',
      options: { stage: false },
    };
    return { src, before: scanTree(src), spec };
  }

  /** The source of a cancelled move as it was, and nothing of the transfer left, its destination included. */
  async function expectMoveUndone(
    spec: TransferSpec,
    src: string,
    before: ReturnType<typeof scanTree>,
  ) {
    const name = spec.source.name;
    expect(await replicasOf(`${name}-app`)).toBe(1);
    const source = await claimIn(east, 'shop', name);
    expect(source?.status?.phase).toBe('Bound');
    expect(
      source?.metadata?.annotations?.['namespace-transfer.io/transferred-to'],
    ).toBeUndefined();
    // the data as it was; not modes: the application's fsGroup makes them group-writable as its pod starts
    expect(diffTrees(before, scanTree(src), { modes: false })).toEqual([]);
    await nothingLeft(spec.id, { pvcs: true });
    expect(await claimIn(west, 'shop', name)).toBeUndefined();
  }

  it('honours a cancel of a move between its verification and the step that marks the source: rolled back, never past the point', async () => {
    const { src, before, spec } = await moveOfAppClaim('late-cancel', 'late');
    const cancel = new AbortController();
    const phases: string[] = [];
    const told: boolean[] = [];
    const r = await runTransfer({
      ...options(spec),
      signal: cancel.signal,
      onEvent: e => {
        if (e.type === 'phase') phases.push(e.phase);
      },
      // the last step before the source is marked: the copy is verified, the cancel comes before marking
      onCheckpoint: (c, about) => {
        told.push(about.pastPointOfNoReturn);
        if (c.completedSteps.at(-1) === 'downtime')
          cancel.abort(new Error('cancelled by the user'));
      },
    });
    expect(r).toMatchObject({
      outcome: 'cancelled',
      pastPointOfNoReturn: false,
      error: 'cancelled by the user',
    });
    expect(r.checkpoint!.completedSteps.slice(-2)).toEqual([
      'verify',
      'downtime',
    ]);
    // the checkpoint never said the cancel would be refused, and the run did not refuse it
    expect(told.length).toBeGreaterThan(5);
    expect(told).not.toContain(true);
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    await expectMoveUndone(spec, src, before);
  });

  it('rolls a move back from its checkpoint when the cancel came before the resume: the application back, the destination gone', async () => {
    const { src, before, spec } = await moveOfAppClaim('mid-cancel', 'mid');
    const handOver = new AbortController();
    const first = await runTransfer({
      ...options(spec),
      handOver: handOver.signal,
      onCheckpoint: c => {
        if (c.completedSteps.at(-1) === 'quiesce') handOver.abort();
      },
    });
    expect(first).toMatchObject({
      outcome: 'handed-over',
      pastPointOfNoReturn: false,
    });
    // mid-move: the application is stopped and the destination claim exists
    expect(await replicasOf('mid-app')).toBe(0);
    expect(await claimIn(west, 'shop', 'mid')).toBeDefined();

    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the user'));
    const phases: string[] = [];
    const r = await runTransfer({
      ...options(spec),
      checkpoint: first.checkpoint,
      plan: first.plan,
      signal: cancel.signal,
      onEvent: e => {
        if (e.type === 'phase') phases.push(e.phase);
      },
    });
    expect(r).toMatchObject({
      outcome: 'cancelled',
      pastPointOfNoReturn: false,
      error: 'cancelled by the user',
    });
    expect(phases).toEqual(['RollingBack', 'Cancelled']);
    await expectMoveUndone(spec, src, before);
  });

  describe('a rebind that fails after its source claim went', () => {
    // a fault scoped to the engine's identity fails the engine's requests, not kube-sim's controllers
    const ENGINE = 'namespace-transfer-engine';
    let engine: KubeConfig;
    const faults = () => world.cluster('east').apiServer.faults;

    beforeAll(() => {
      engine = world.cluster('east').userKubeConfig({
        username: ENGINE,
        groups: ['system:masters'],
      });
    });

    async function rebindOfAppClaim(name: string) {
      const dir = await createBoundPvc(east, 'shop', name, 'movable');
      writeFileSync(`${dir}/hello.txt`, `${name}\n`);
      await createWorkload(east, 'shop', `${name}-app`, name, 1001, 1);
      const pvName = (await claimIn(east, 'shop', name))!.spec!.volumeName!;
      const spec: TransferSpec = {
        id: `${name}-rebind`,
        source: { cluster: 'east', namespace: 'shop', name },
        destination: { cluster: 'east', namespace: 'shop-to', name },
        mode: 'rebind',
        intent: 'move',
      };
      return { pvName, spec };
    }

    /** The destination claim's creation fails once, right after the PV was pointed at it. */
    const failCreatingTheDestination = () =>
      faults().add({
        user: ENGINE,
        verb: 'create',
        resource: 'persistentvolumeclaims',
        namespace: 'shop-to',
        errorRate: 1,
        status: 403,
        count: 1,
      });

    it('gives the volume back and says so: a plain failure to retry, the source as it was', async () => {
      const { pvName, spec } = await rebindOfAppClaim('back');
      let fault: FaultHandle | undefined;
      const told: boolean[] = [];
      const r = await runTransfer({
        spec,
        source: engine,
        destination: engine,
        onCheckpoint: (c, about) => {
          told.push(about.pastPointOfNoReturn);
          if (c.completedSteps.at(-1) === 'point-claim-ref')
            fault = failCreatingTheDestination();
        },
      });
      expect(fault?.hits).toBe(1);
      expect(r).toMatchObject({
        outcome: 'failed',
        mode: 'rebind',
        pastPointOfNoReturn: false,
        givenBack: true,
        checkpoint: { completedSteps: ['given-back'] },
      });
      expect(r.checkpoint!.pastPointOfNoReturn).toBeUndefined();
      // the worker heard of the point as it was crossed, and of the give-back last
      expect(told.slice(-3)).toEqual([true, true, false]);
      const source = await claimIn(east, 'shop', 'back');
      expect(source?.status?.phase).toBe('Bound');
      expect(source?.spec?.volumeName).toBe(pvName);
      const pv = await east
        .makeApiClient(CoreV1Api)
        .readPersistentVolume({ name: pvName });
      expect(pv.spec?.claimRef?.uid).toBe(source!.metadata!.uid);
      expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
      expect(await claimIn(east, 'shop-to', 'back')).toBeUndefined();
      expect(await replicasOf('back-app')).toBe(1);
      expect(
        readFileSync(
          `${await volumeDir(east, 'shop', 'back')}/hello.txt`,
          'utf8',
        ),
      ).toBe('back\n');
      // a resume of that checkpoint touches nothing: only a retry (which starts over) may move it now
      const resumed = await runTransfer({
        spec,
        source: engine,
        destination: engine,
        checkpoint: r.checkpoint,
        plan: r.plan,
      });
      expect(resumed).toMatchObject({ outcome: 'failed', givenBack: true });
      expect((await claimIn(east, 'shop', 'back'))?.metadata?.uid).toBe(
        source!.metadata!.uid,
      );
    });

    it('stays past its point of no return when the give-back fails too, and a resume finishes the move', async () => {
      const { pvName, spec } = await rebindOfAppClaim('stuck');
      let create: FaultHandle | undefined;
      let pvWrites: FaultHandle | undefined;
      const r = await runTransfer({
        spec,
        source: engine,
        destination: engine,
        onCheckpoint: c => {
          if (c.completedSteps.at(-1) !== 'point-claim-ref') return;
          create = failCreatingTheDestination();
          // the give-back cannot point the volume back at a source claim
          pvWrites = faults().add({
            user: ENGINE,
            verb: 'update',
            resource: 'persistentvolumes',
            errorRate: 1,
            status: 403,
          });
        },
      });
      pvWrites?.remove();
      expect(create?.hits).toBe(1);
      expect(pvWrites?.hits).toBeGreaterThan(0);
      expect(r).toMatchObject({
        outcome: 'failed',
        pastPointOfNoReturn: true,
        checkpoint: { pastPointOfNoReturn: true },
      });
      expect(r.givenBack).toBeUndefined();
      expect(r.checkpoint!.completedSteps.at(-1)).toBe('point-claim-ref');
      const resumed = await runTransfer({
        spec,
        source: engine,
        destination: engine,
        checkpoint: r.checkpoint,
        plan: r.plan,
      });
      expect(resumed).toMatchObject({ outcome: 'succeeded', mode: 'rebind' });
      const moved = await claimIn(east, 'shop-to', 'stuck');
      expect(moved?.spec?.volumeName).toBe(pvName);
      expect(moved?.status?.phase).toBe('Bound');
      expect(await readThroughPod(east, 'shop-to', 'stuck', 'hello.txt')).toBe(
        'stuck\n',
      );
    });
  });
});
