/**
 * A rebind outlives its API server going away, as a copy does: kube-sim's outage fault takes the listener
 * and every connection away right after the source claim was deleted (the moment a give-back would be
 * needed). With a budget shorter than the outage the run stops without putting anything back against a
 * cluster that is away, and a resume once it answers again finishes the move.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type OutageHandle, type SimWorld } from 'kube-sim';
import { ClusterUnreachableError, httpStatus } from '../clusters';
import type { CopyEvent } from '../copy';
import { createBoundPvc, ensureNamespace } from '../testing/kubesim';
import { HELD_BY } from './annotations';
import { ensureClass, readThroughPod } from './testing';
import { POINT_OF_NO_RETURN, runRebind } from '.';

jest.setTimeout(180_000);

describe('a rebind outlives an API server outage (kube-sim)', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    await ensureClass(kc, 'movable', 'true');
    for (const ns of ['from', 'to']) await ensureNamespace(kc, ns);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('a budget run out after the source claim went fails without a give-back, and a resume completes', async () => {
    const dir = await createBoundPvc(kc, 'from', 'data', 'movable');
    writeFileSync(`${dir}/f.txt`, 'kept\n');
    const spec: TransferSpec = {
      id: 'rb-outage',
      source: { cluster: 'east', namespace: 'from', name: 'data' },
      destination: { cluster: 'east', namespace: 'to', name: 'data' },
      mode: 'rebind',
      intent: 'move',
    };
    const events: CopyEvent[] = [];
    let saved: TransferCheckpoint | undefined;
    let outage: OutageHandle | undefined;
    const err = await runRebind({
      spec,
      kubeConfig: kc,
      outageBudgetMs: 3_000,
      onEvent: e => events.push(e),
      onCheckpoint: c => {
        saved = c;
        if (c.completedSteps.at(-1) === POINT_OF_NO_RETURN)
          outage ??= world
            .cluster('east')
            .apiServer.faults.outage({ durationMs: 20_000 });
      },
    }).catch(e => e);
    // it gave up on the budget while the outage lasted, reporting the cluster
    expect(outage).toBeDefined();
    expect(outage!.endedAt).toBeUndefined();
    expect(outage!.refused).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect(saved?.completedSteps.at(-1)).toBe(POINT_OF_NO_RETURN);
    const phases = events.flatMap(e => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).not.toContain('RollingBack');
    expect(phases.at(-1)).toBe('Failed');
    expect(
      events.some(e => e.type === 'cluster' && e.state === 'unreachable'),
    ).toBe(true);
    expect(
      events.some(
        e => e.type === 'warning' && /nothing was rolled back/.test(e.message),
      ),
    ).toBe(true);

    await outage!.over;
    // as the run left it: the source claim gone and not re-created, the volume still held and kept
    const source = await core
      .readNamespacedPersistentVolumeClaim({ namespace: 'from', name: 'data' })
      .catch(e => httpStatus(e));
    expect(source).toBe(404);
    const volumeName = (saved!.state.preconditions as { volumeName: string })
      .volumeName;
    const held = await core.readPersistentVolume({ name: volumeName });
    expect(held.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(held.metadata?.annotations?.[HELD_BY]).toBe(spec.id);

    const resumed = await runRebind({
      spec,
      kubeConfig: kc,
      checkpoint: saved,
    });
    expect(resumed.checkpoint.phase).toBe('Succeeded');
    expect(resumed.volumeName).toBe(volumeName);
    const moved = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'to',
      name: 'data',
    });
    expect(moved.status?.phase).toBe('Bound');
    expect(moved.spec?.volumeName).toBe(volumeName);
    const pv = await core.readPersistentVolume({ name: volumeName });
    expect(pv.metadata?.annotations?.[HELD_BY]).toBeUndefined();
    expect(await readThroughPod(kc, 'to', 'data', 'f.txt')).toBe('kept\n');
  });
});
