/**
 * Rebind survives crashes and failures at every step: a run stopped after any step is completed by a new
 * run from its checkpoint, and a failure injected into any step (a non-retryable API error from kube-sim's
 * fault injection) leaves the source as it was: claim bound to its volume, policy, application.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  closeSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  startClusters,
  type FaultHandle,
  type FaultRule,
  type SimWorld,
} from 'kube-sim';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  volumeDir,
} from '../testing/kubesim';
import { pollUntil } from '../kube';
import { ensureClass } from './testing';
import { HELD_BY, REBIND_STEPS, runRebind, TRANSFERRING } from '.';

jest.setTimeout(600_000);

/**
 * The engine's own identity: the test's setup and checks use the admin's, and kube-sim's controllers
 * theirs, so a fault scoped to this user fails the engine's requests and nobody else's.
 */
const ENGINE = 'namespace-transfer-engine';

const spec = (id: string, ns: string): TransferSpec => ({
  id,
  source: { cluster: 'east', namespace: ns, name: 'data' },
  destination: { cluster: 'east', namespace: `${ns}-to`, name: 'moved' },
  mode: 'rebind',
  intent: 'move',
});

/** A KubeConfig that counts the writes (non-GET requests) made through it. */
class CountingKubeConfig extends KubeConfig {
  writes = 0;
  override async applySecurityAuthentication(
    context: Parameters<KubeConfig['applySecurityAuthentication']>[0],
  ) {
    if (context.getHttpMethod() !== 'GET') this.writes++;
    return super.applySecurityAuthentication(context);
  }
}

describe('rebind resumes and rolls back on kube-sim', () => {
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
    await ensureClass(kc, 'movable', 'true');
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** a source claim with a file and a running Deployment, in a namespace of its own */
  async function setup(ns: string, size = '1Gi') {
    await ensureNamespace(kc, ns);
    await ensureNamespace(kc, `${ns}-to`);
    const dir = await createBoundPvc(kc, ns, 'data', 'movable', size);
    writeFileSync(`${dir}/hello.txt`, ns);
    // what a give-back must restore: the claim's own labels and annotations
    await core.patchNamespacedPersistentVolumeClaim(
      {
        namespace: ns,
        name: 'data',
        body: {
          metadata: {
            labels: { app: 'web' },
            annotations: { 'team.example.com/owner': 'web' },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await createWorkload(kc, ns, 'web', 'data', 1001, 1);
    const pvc = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'data',
    });
    return { dir, pvName: pvc.spec!.volumeName! };
  }

  async function expectMoved(ns: string, pvName: string) {
    const moved = await core.readNamespacedPersistentVolumeClaim({
      namespace: `${ns}-to`,
      name: 'moved',
    });
    expect(moved.status?.phase).toBe('Bound');
    expect(moved.spec?.volumeName).toBe(pvName);
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef?.uid).toBe(moved.metadata!.uid);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    await expect(
      core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'data' }),
    ).rejects.toMatchObject({ code: 404 });
    expect(
      readFileSync(
        `${await volumeDir(kc, `${ns}-to`, 'moved')}/hello.txt`,
        'utf8',
      ),
    ).toBe(ns);
  }

  async function expectRestored(ns: string, pvName: string) {
    const src = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'data',
    });
    expect(src.status?.phase).toBe('Bound');
    expect(src.spec?.volumeName).toBe(pvName);
    expect(src.metadata?.annotations?.[TRANSFERRING]).toBeUndefined();
    // as it was, whether it was kept or given back: its own labels and annotations, none of ours
    expect(src.metadata?.labels).toEqual({ app: 'web' });
    expect(src.metadata?.annotations?.['team.example.com/owner']).toBe('web');
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.spec?.claimRef).toMatchObject({
      namespace: ns,
      name: 'data',
      uid: src.metadata!.uid,
    });
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    await expect(
      core.readNamespacedPersistentVolumeClaim({
        namespace: `${ns}-to`,
        name: 'moved',
      }),
    ).rejects.toMatchObject({ code: 404 });
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(web.spec!.replicas).toBe(1);
    expect(
      readFileSync(`${await volumeDir(kc, ns, 'data')}/hello.txt`, 'utf8'),
    ).toBe(ns);
  }

  it.each(REBIND_STEPS.map((s, i) => [s, i] as const))(
    'a crash after %s: a new run from the checkpoint completes',
    async (stepName, i) => {
      const ns = `crash-${i}`;
      const { pvName } = await setup(ns);
      let saved: TransferCheckpoint | undefined;
      // the "process" stops right after the checkpoint of this step: nothing of it runs any more
      const crashed = runRebind({
        spec: spec(`crash-${i}`, ns),
        kubeConfig: engine,
        onCheckpoint: c => {
          saved = c;
          return c.completedSteps.includes(stepName)
            ? new Promise<void>(() => {})
            : undefined;
        },
      });
      const stopped = await Promise.race([
        crashed.then(() => 'finished'),
        new Promise(r => setTimeout(r, 100)).then(
          async function wait(): Promise<string> {
            return saved?.completedSteps.includes(stepName)
              ? 'stopped'
              : new Promise(r => setTimeout(r, 100)).then(wait);
          },
        ),
      ]);
      expect(stopped).toBe('stopped');
      const result = await runRebind({
        spec: spec(`crash-${i}`, ns),
        kubeConfig: engine,
        checkpoint: saved,
      });
      expect(result.checkpoint.completedSteps).toEqual([...REBIND_STEPS]);
      await expectMoved(ns, pvName);
    },
  );

  // the write each step makes, failed once with a non-retryable error just before the step runs
  const faults: Array<[string, (ns: string) => FaultRule]> = [
    [
      'record-reclaim-policy',
      () => ({ verb: 'update', resource: 'persistentvolumes' }),
    ],
    ['retain', () => ({ verb: 'update', resource: 'persistentvolumes' })],
    [
      'mark-source',
      ns => ({
        verb: 'update',
        resource: 'persistentvolumeclaims',
        namespace: ns,
      }),
    ],
    [
      'quiesce',
      ns => ({ verb: 'update', resource: 'deployments', namespace: ns }),
    ],
    [
      'delete-source',
      ns => ({
        verb: 'delete',
        resource: 'persistentvolumeclaims',
        namespace: ns,
      }),
    ],
    [
      'point-claim-ref',
      () => ({ verb: 'update', resource: 'persistentvolumes' }),
    ],
    [
      'create-destination',
      ns => ({
        verb: 'create',
        resource: 'persistentvolumeclaims',
        namespace: `${ns}-to`,
      }),
    ],
    [
      'wait-bound',
      ns => ({
        verb: 'get',
        resource: 'persistentvolumeclaims',
        namespace: `${ns}-to`,
      }),
    ],
    [
      'restore-reclaim-policy',
      () => ({ verb: 'update', resource: 'persistentvolumes' }),
    ],
  ];

  it.each(faults.map(([s, f], i) => [s, f, i] as const))(
    'a failure in %s restores the source',
    async (stepName, fault, i) => {
      const ns = `fail-${i}`;
      const { pvName } = await setup(ns);
      const before =
        REBIND_STEPS[
          REBIND_STEPS.indexOf(stepName as (typeof REBIND_STEPS)[number]) - 1
        ];
      const injected: FaultRule = {
        ...fault(ns),
        user: ENGINE,
        errorRate: 1,
        status: 403,
        count: 1,
      };
      let handle: FaultHandle | undefined;
      const err = await runRebind({
        spec: spec(`fail-${i}`, ns),
        kubeConfig: engine,
        onCheckpoint: c => {
          if (c.completedSteps.at(-1) === before)
            handle = world.cluster('east').apiServer.faults.add(injected);
        },
      }).catch(e => e);
      // the engine's write failed, not one of kube-sim's controllers
      expect(handle?.hits).toBe(1);
      expect(err).toBeInstanceOf(Error);
      expect(String(err)).toMatch(/403|Forbidden/);
      await expectRestored(ns, pvName);
    },
  );

  it('a checkpoint whose run then rolled back (crash while rolling back): resuming re-takes the volume first', async () => {
    const { pvName } = await setup('stale-0');
    let stale: TransferCheckpoint | undefined;
    let handle: FaultHandle | undefined;
    await runRebind({
      spec: spec('stale-0', 'stale-0'),
      kubeConfig: engine,
      onCheckpoint: c => {
        if (c.completedSteps.at(-1) !== 'mark-source') return;
        stale = c;
        handle = world.cluster('east').apiServer.faults.add({
          user: ENGINE,
          verb: 'update',
          resource: 'deployments',
          namespace: 'stale-0',
          errorRate: 1,
          status: 403,
          count: 1,
        });
      },
    }).catch(() => undefined);
    expect(handle?.hits).toBe(1);
    await expectRestored('stale-0', pvName);
    expect(stale?.completedSteps).toContain('retain');
    // the policy is Delete again although the checkpoint says Retain was set: the volume must survive
    await runRebind({
      spec: spec('stale-0', 'stale-0'),
      kubeConfig: engine,
      checkpoint: stale,
    });
    await expectMoved('stale-0', pvName);
  });

  it('cancelling before the source claim is deleted restores everything; after it the run finishes', async () => {
    const early = await setup('cancel-0');
    const abort = new AbortController();
    const phases: string[] = [];
    const err = await runRebind({
      spec: spec('cancel-0', 'cancel-0'),
      kubeConfig: engine,
      signal: abort.signal,
      onEvent: e => e.type === 'phase' && phases.push(e.phase),
      onCheckpoint: c => {
        if (c.completedSteps.at(-1) === 'quiesce')
          abort.abort(new Error('user cancelled'));
      },
    }).catch(e => e);
    expect(String(err)).toContain('user cancelled');
    expect(phases.slice(-2)).toEqual(['RollingBack', 'Cancelled']);
    await expectRestored('cancel-0', early.pvName);

    const late = await setup('cancel-1');
    const abortLate = new AbortController();
    await runRebind({
      spec: spec('cancel-1', 'cancel-1'),
      kubeConfig: engine,
      signal: abortLate.signal,
      onCheckpoint: c => {
        if (c.completedSteps.at(-1) === 'delete-source')
          abortLate.abort(new Error('too late'));
      },
    });
    await expectMoved('cancel-1', late.pvName);
  });

  it('a stop after quiesce: stopped as at a hand-over, nothing put back, and the checkpoint resumes it', async () => {
    const { pvName } = await setup('stop-0');
    const stop = new AbortController();
    const phases: string[] = [];
    let saved: TransferCheckpoint | undefined;
    let stoppedAfter: string[] | undefined;
    const err = await runRebind({
      spec: spec('stop-0', 'stop-0'),
      kubeConfig: engine,
      stopBeforePointOfNoReturn: stop.signal,
      onEvent: e => e.type === 'phase' && phases.push(e.phase),
      onCheckpoint: c => {
        saved = c;
        if (c.completedSteps.at(-1) !== 'quiesce') return;
        stoppedAfter = c.completedSteps;
        stop.abort(new Error('the controller is stopping'));
      },
    }).catch(e => e);
    expect(stoppedAfter).toEqual(REBIND_STEPS.slice(0, 5));
    expect(String(err)).toContain('the controller is stopping');
    expect(saved?.completedSteps).toEqual(stoppedAfter);
    expect(saved?.pastPointOfNoReturn).toBeUndefined();
    // no rollback, no end phase: the run just stopped
    expect(phases).not.toContain('RollingBack');
    expect(phases.at(-1)).toBe('Quiescing');
    // as the checkpoint says: the source claim in place and marked, the volume held, the app stopped
    const src = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'stop-0',
      name: 'data',
    });
    expect(src.status?.phase).toBe('Bound');
    expect(src.metadata?.annotations?.[TRANSFERRING]).toBe('stop-0');
    const pv = await core.readPersistentVolume({ name: pvName });
    expect(pv.metadata?.annotations?.[HELD_BY]).toBe('stop-0');
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'stop-0' });
    expect(web.spec!.replicas).toBe(0);

    const result = await runRebind({
      spec: spec('stop-0', 'stop-0'),
      kubeConfig: engine,
      checkpoint: saved,
    });
    expect(result.checkpoint.completedSteps).toEqual([...REBIND_STEPS]);
    await expectMoved('stop-0', pvName);
  });

  it('a stop ends the wait for the application to stop; nothing is put back', async () => {
    const { pvName } = await setup('stop-2');
    // a finalizer keeps the app's pod, being deleted, from going: quiesce waits on it
    const [pod] = (await core.listNamespacedPod({ namespace: 'stop-2' })).items;
    const hold = 'example.com/hold';
    const finalizers = (f: string[]) =>
      core.patchNamespacedPod(
        {
          namespace: 'stop-2',
          name: pod.metadata!.name!,
          body: { metadata: { finalizers: f } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await finalizers([hold]);
    const stop = new AbortController();
    let saved: TransferCheckpoint | undefined;
    const run = runRebind({
      spec: spec('stop-2', 'stop-2'),
      kubeConfig: engine,
      stopBeforePointOfNoReturn: stop.signal,
      timeouts: { quiesceMs: 60_000 },
      onCheckpoint: c => {
        saved = c;
      },
    }).catch(e => e);
    const deleting = await pollUntil(
      async () => {
        const p = await core.readNamespacedPod({
          namespace: 'stop-2',
          name: pod.metadata!.name!,
        });
        return p.metadata?.deletionTimestamp ? p : undefined;
      },
      { timeoutMs: 60_000, what: 'the app pod to be deleted' },
    );
    expect(deleting.metadata?.finalizers).toEqual([hold]);
    stop.abort(new Error('the controller is stopping'));
    expect(String(await run)).toContain('the controller is stopping');
    // the wait ended on the stop: the pod is still there, and quiesce was not recorded
    await expect(
      core.readNamespacedPod({
        namespace: 'stop-2',
        name: pod.metadata!.name!,
      }),
    ).resolves.toBeDefined();
    expect(saved?.completedSteps).toEqual(REBIND_STEPS.slice(0, 4));
    const web = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'stop-2' });
    expect(web.spec!.replicas).toBe(0);

    await finalizers([]);
    await runRebind({
      spec: spec('stop-2', 'stop-2'),
      kubeConfig: engine,
      checkpoint: saved,
    });
    await expectMoved('stop-2', pvName);
  });

  it('a stop once the source claim is being deleted is ignored: the run finishes', async () => {
    const { pvName } = await setup('stop-1');
    const stop = new AbortController();
    let stoppedAfter: string[] | undefined;
    const result = await runRebind({
      spec: spec('stop-1', 'stop-1'),
      kubeConfig: engine,
      stopBeforePointOfNoReturn: stop.signal,
      onCheckpoint: c => {
        if (c.completedSteps.at(-1) !== 'delete-source') return;
        stoppedAfter = c.completedSteps;
        stop.abort(new Error('the controller is stopping'));
      },
    });
    expect(stop.signal.aborted).toBe(true);
    expect(stoppedAfter).toEqual(REBIND_STEPS.slice(0, 6));
    expect(result.checkpoint.completedSteps).toEqual([...REBIND_STEPS]);
    await expectMoved('stop-1', pvName);
  });

  const noClaimsIn = (namespace: string) =>
    pollUntil(
      async () =>
        (await core.listNamespacedPersistentVolumeClaim({ namespace })).items
          .length
          ? undefined
          : true,
      {
        timeoutMs: 30_000,
        what: `no claims in ${namespace}`,
      },
    );

  it('a finished pod that still references the claim (it would block the deletion): rolled back before the source goes', async () => {
    const { pvName } = await setup('finished-0');
    await core.createNamespacedPod({
      namespace: 'finished-0',
      body: {
        metadata: { name: 'once' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'c',
              image: 'busybox',
              command: ['true'],
              volumeMounts: [{ name: 'd', mountPath: '/data' }],
            },
          ],
          volumes: [
            { name: 'd', persistentVolumeClaim: { claimName: 'data' } },
          ],
        },
      },
    });
    await pollUntil(
      async () =>
        (
          await core.readNamespacedPod({
            namespace: 'finished-0',
            name: 'once',
          })
        ).status?.phase === 'Succeeded'
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
        what: 'the pod to finish',
      },
    );
    const err = await runRebind({
      spec: spec('finished-0', 'finished-0'),
      kubeConfig: engine,
    }).catch(e => e);
    expect(String(err)).toContain('once (Succeeded)');
    await expectRestored('finished-0', pvName);
  });

  it('a destination claim that appears meanwhile: refused before the source goes, given back after', async () => {
    const claim = (ns: string) =>
      core.createNamespacedPersistentVolumeClaim({
        namespace: `${ns}-to`,
        body: {
          metadata: { name: 'moved' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'movable',
            resources: { requests: { storage: '1Gi' } },
          },
        },
      });
    for (const [ns, after] of [
      ['appear-0', 'quiesce'],
      ['appear-1', 'delete-source'],
    ] as const) {
      const { pvName } = await setup(ns);
      let created: Promise<unknown> | undefined;
      const err = await runRebind({
        spec: spec(ns, ns),
        kubeConfig: engine,
        onCheckpoint: c => {
          if (c.completedSteps.at(-1) === after) created = claim(ns);
          return created?.then(() => undefined);
        },
      }).catch(e => e);
      expect(String(err)).toContain('appeared meanwhile');
      // the intruder keeps its own (new) volume; ours is back with its source claim and was never deleted
      const intruder = await core.readNamespacedPersistentVolumeClaim({
        namespace: `${ns}-to`,
        name: 'moved',
      });
      expect(intruder.spec?.volumeName).not.toBe(pvName);
      await core.deleteNamespacedPersistentVolumeClaim({
        namespace: `${ns}-to`,
        name: 'moved',
      });
      await noClaimsIn(`${ns}-to`);
      await expectRestored(ns, pvName);
    }
  });

  it('a 1 GiB and a 10 GiB sparse volume take the same API writes', async () => {
    const writes: number[] = [];
    for (const [i, size] of ['1Gi', '10Gi'].entries()) {
      const ns = `size-${i}`;
      const { dir } = await setup(ns, size);
      // sparse: the apparent size is the volume's, the blocks are not allocated
      const fd = openSync(`${dir}/big`, 'w');
      ftruncateSync(fd, size === '1Gi' ? 2 ** 30 : 10 * 2 ** 30);
      closeSync(fd);
      const counting = new CountingKubeConfig();
      counting.loadFromString(engine.exportConfig());
      await runRebind({ spec: spec(`size-${i}`, ns), kubeConfig: counting });
      writes.push(counting.writes);
    }
    expect(writes[0]).toBeGreaterThan(5);
    expect(writes[1]).toBe(writes[0]);
  });
});
