/**
 * The KEP objects on kube-sim: the CRDs from deploy/crds applied with the API, a request that waits for an
 * approval, a non-matching approval reported in the request's status, a matching one that makes the
 * controller move the volume; a controller restart and dropped watches change nothing of that.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import { createBoundPvc, createWorkload } from '../testing/kubesim';
import { readThroughPod } from '../rebind/testing';
import {
  APPROVALS,
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  startKepController,
  type KepController,
  type KepHooks,
} from '.';
import {
  approval,
  kepObjects,
  prepareKepCluster,
  requestEnded,
  transferRequest,
} from './testing';

jest.setTimeout(300_000);

/** Hooks that write down what they were told, in order (the last step of each checkpoint). */
function recorder(seen: string[]): KepHooks {
  return {
    started: t => void seen.push(`started ${t.id} ${t.attempt}`),
    checkpoint: (_t, c) =>
      void seen.push(`checkpoint ${c.completedSteps.at(-1)}`),
    ended: (_t, o) => void seen.push(`ended ${o.state}`),
  };
}

const CRDS = join(__dirname, '../../../../deploy/crds');

describe('KEP controller on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let controller: KepController | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    await prepareKepCluster(kc, CRDS, ['team-a', 'team-b', 'team-c']);
  });

  afterAll(async () => {
    await controller?.stop();
    await world?.stop();
  });

  const { create, request, until, approvalOf, approvalUntil } = kepObjects(
    () => kc,
    logs,
  );
  const seen: string[] = [];

  it('validates the objects against the CRD schema', async () => {
    await expect(
      create(REQUESTS, 'team-b', {
        apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
        kind: 'NamespaceTransferRequest',
        metadata: { name: 'bad' },
        spec: { source: { name: 'x', namespace: 'team-a', kind: 'Secret' } },
      }),
    ).rejects.toMatchObject({ code: 422 });
    await expect(
      create(APPROVALS, 'team-a', {
        apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
        kind: 'NamespaceTransferApproval',
        metadata: { name: 'bad' },
        spec: { source: { name: 'x', kind: 'PersistentVolumeClaim' } },
      }),
    ).rejects.toMatchObject({ code: 422 });
  });

  it('waits for an approval, reports one that does not match, and moves the volume once one matches', async () => {
    const dir = await createBoundPvc(kc, 'team-a', 'data', 'movable');
    writeFileSync(`${dir}/report.csv`, 'a,b\n1,2\n');
    await createWorkload(kc, 'team-a', 'app', 'data', 1001, 1);
    controller = startKepController({
      kubeConfig: kc,
      log: m => logs.push(m),
      restartDelayMs: 200,
      hooks: recorder(seen),
    });
    await controller.ready;

    await create(
      REQUESTS,
      'team-b',
      transferRequest(
        'want-data',
        { namespace: 'team-a', claim: 'data' },
        'imported',
      ),
    );
    const waiting = await until(
      'team-b',
      'want-data',
      r => r.status?.phase === 'Pending',
      'the request to wait',
    );
    expect(waiting.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'Approved',
        status: 'False',
        reason: 'AwaitingApproval',
      }),
      expect.objectContaining({
        type: 'Progressing',
        status: 'False',
        reason: 'AwaitingApproval',
      }),
    ]);
    expect(waiting.status?.observedGeneration).toBe(
      waiting.metadata.generation,
    );

    // the watches break (as when the API server restarts): the controller lists and watches again
    world.cluster('east').apiServer.faults.dropWatches();
    await create(APPROVALS, 'team-a', approval('to-c', 'data', 'team-c'));
    const mismatch = await until(
      'team-b',
      'want-data',
      r => r.status?.conditions?.[0]?.reason === 'ApprovalMismatch',
      'the mismatch to be reported',
    );
    expect(mismatch.status?.message).toContain(
      'approval team-a/to-c does not match: it approves namespace team-c, not team-b',
    );
    expect(mismatch.status?.phase).toBe('Pending');

    await create(APPROVALS, 'team-a', approval('to-b', 'data', 'team-b'));
    const done = await until(
      'team-b',
      'want-data',
      requestEnded,
      'the transfer to end',
    );
    expect(done.status).toMatchObject({
      phase: 'Succeeded',
      destinationClaim: 'team-b/imported',
    });
    expect(done.status?.checkpoint?.completedSteps).toContain('wait-bound');
    expect(done.status?.startTime).toBeDefined();
    expect(done.status?.completionTime).toBeDefined();
    const core = kc.makeApiClient(CoreV1Api);
    const claim = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'team-b',
      name: 'imported',
    });
    expect(done.status?.volumeName).toBe(claim.spec?.volumeName);
    expect(await readThroughPod(kc, 'team-b', 'imported', 'report.csv')).toBe(
      'a,b\n1,2\n',
    );
    // the hooks saw one attempt: started, a checkpoint per step, in the engine's order, then ended
    expect(seen[0]).toBe(`started kep-${done.metadata.uid} 1`);
    expect(seen.at(-1)).toBe('ended succeeded');
    expect(seen.filter(x => x.startsWith('checkpoint'))).toEqual(
      done.status!.checkpoint!.completedSteps.map(
        (_, i, all) => `checkpoint ${all[i]}`,
      ),
    );
    // the approval that matched names the request, and the request has its volume
    const used = await approvalUntil(
      'team-a',
      'to-b',
      a => a.status?.phase === 'Used',
      'the approval to be Used',
    );
    expect(used.status).toMatchObject({
      phase: 'Used',
      matchedRequest: {
        namespace: 'team-b',
        name: 'want-data',
        uid: done.metadata.uid,
      },
      observedGeneration: 1,
    });
    expect((await approvalOf('team-a', 'to-c')).status).toBeUndefined();

    // a new controller process: a finished request stays as it is; a request made meanwhile is served
    await controller.stop();
    const rv = (await request('team-b', 'want-data')).metadata.resourceVersion;
    await createBoundPvc(kc, 'team-a', 'logs', 'movable');
    await create(APPROVALS, 'team-a', approval('logs-to-b', 'logs', 'team-b'));
    await create(
      REQUESTS,
      'team-b',
      transferRequest('want-logs', { namespace: 'team-a', claim: 'logs' }),
    );
    // a host whose every hook throws changes nothing of the run: each failure is logged
    const failing = () => {
      throw new Error('the host is down');
    };
    controller = startKepController({
      kubeConfig: kc,
      log: m => logs.push(m),
      hooks: { started: failing, checkpoint: failing, ended: failing },
    });
    await controller.ready;
    const second = await until(
      'team-b',
      'want-logs',
      requestEnded,
      'the second transfer',
    );
    expect(second.status).toMatchObject({
      phase: 'Succeeded',
      destinationClaim: 'team-b/logs',
    });
    const id = `kep-${second.metadata.uid}`;
    for (const hook of ['started', 'checkpoint', 'ended'])
      expect(logs).toContain(`hook ${hook} for ${id}: the host is down`);
    expect(
      (await request('team-b', 'want-data')).metadata.resourceVersion,
    ).toBe(rv);
  });

  it('a request whose preconditions fail ends Failed and names them', async () => {
    if (!controller) {
      controller = startKepController({
        kubeConfig: kc,
        log: m => logs.push(m),
      });
      await controller.ready;
    }
    await createBoundPvc(kc, 'team-a', 'taken', 'movable');
    await createBoundPvc(kc, 'team-c', 'taken', 'movable');
    await create(
      APPROVALS,
      'team-a',
      approval('taken-to-c', 'taken', 'team-c'),
    );
    await create(
      REQUESTS,
      'team-c',
      transferRequest('want-taken', { namespace: 'team-a', claim: 'taken' }),
    );
    const r = await until(
      'team-c',
      'want-taken',
      x => x.status?.phase === 'Failed',
      'the refusal',
    );
    expect(r.status?.message).toContain(
      'DestinationNameFree: destination PVC team-c/taken already exists',
    );
    expect(r.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Failed',
          reason: 'PreconditionsFailed',
        }),
      ]),
    );
  });
});
