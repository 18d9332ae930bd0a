import { R } from '../kube/resources';
import type {
  CoreEvent,
  Deployment,
  Namespace,
  Pod,
  ReplicaSet,
} from '../kube/types';
import {
  markPodRunning,
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
  edit,
} from '../testing/harness';

jest.setTimeout(90_000);

let h: ControllerHarness;
const NS = 'wl';
let ipSeq = 10;

beforeAll(async () => {
  h = await startHarness('wlt');
  await registerNode(h.rest, h.nodeName);
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: NS },
  });
});
afterAll(async () => h?.stop());

const podsOf = async (selector: string) =>
  (await h.rest.list<Pod>(R.pods, NS, { labelSelector: selector })).items;
const live = (ps: Pod[]) => ps.filter(p => !p.metadata?.deletionTimestamp);
/** Plays the kubelet: every scheduled pod without an IP becomes Running and Ready. */
async function runScheduledPods(selector: string): Promise<void> {
  for (const p of live(await podsOf(selector))) {
    if (p.spec?.nodeName && p.status?.phase !== 'Running')
      await markPodRunning(
        h.rest,
        NS,
        p.metadata?.name as string,
        `127.77.1.${ipSeq++}`,
      ).catch(() => undefined);
  }
}
/** Plays the kubelet on graceful deletion: the pod's processes ended, so it is removed for good. */
async function finishTerminating(selector: string): Promise<void> {
  for (const p of await podsOf(selector)) {
    if (p.metadata?.deletionTimestamp)
      await h.rest
        .delete(R.pods, NS, p.metadata.name as string, {
          gracePeriodSeconds: 0,
        })
        .catch(() => undefined);
  }
}

const deployment = (
  name: string,
  replicas: number,
  image: string,
  strategy?: NonNullable<Deployment['spec']>['strategy'],
): Deployment => ({
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    strategy,
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'c', image, ports: [{ name: 'http', containerPort: 8080 }] },
        ],
      },
    },
  },
});

describe('Deployment → ReplicaSet → Pods, scheduler', () => {
  it('creates a ReplicaSet and scheduled pods, and reports status once they are ready', async () => {
    await h.rest.create(R.deployments, NS, deployment('web', 2, 'v1'));
    const pods = await waitFor('2 pods scheduled', async () => {
      const ps = live(await podsOf('app=web'));
      return ps.length === 2 && ps.every(p => p.spec?.nodeName === h.nodeName)
        ? ps
        : undefined;
    });
    const rs = (await h.rest.list<ReplicaSet>(R.replicasets, NS)).items.find(
      r => r.metadata?.ownerReferences?.[0]?.name === 'web',
    ) as ReplicaSet;
    const hash = rs.metadata?.labels?.['pod-template-hash'] as string;
    expect(rs.metadata?.name).toBe(`web-${hash}`);
    expect(
      rs.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('1');
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      controller: true,
      blockOwnerDeletion: true,
    });
    for (const p of pods) {
      expect(p.metadata?.labels?.['pod-template-hash']).toBe(hash);
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: rs.metadata?.name,
        controller: true,
      });
    }
    await runScheduledPods('app=web');
    const d = await waitFor('deployment available', async () => {
      const x = await h.rest.get<Deployment>(R.deployments, NS, 'web');
      return x.status?.availableReplicas === 2 &&
        x.status.observedGeneration === x.metadata?.generation
        ? x
        : undefined;
    });
    expect(d.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
    });
    expect(
      d.status?.conditions?.find(c => c.type === 'Available')?.status,
    ).toBe('True');
    expect(
      d.status?.conditions?.find(c => c.type === 'Progressing')?.reason,
    ).toBe('NewReplicaSetAvailable');
    const r = await h.rest.get<ReplicaSet>(
      R.replicasets,
      NS,
      rs.metadata?.name as string,
    );
    expect(r.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: r.metadata?.generation,
    });
    const events = (await h.rest.list<CoreEvent>(R.events, NS)).items;
    expect(
      events.some(
        e =>
          e.reason === 'ScalingReplicaSet' && e.involvedObject?.name === 'web',
      ),
    ).toBe(true);
    expect(
      events.some(
        e =>
          e.reason === 'SuccessfulCreate' &&
          e.involvedObject?.kind === 'ReplicaSet',
      ),
    ).toBe(true);
    expect(events.some(e => e.reason === 'Scheduled')).toBe(true);
  });

  it('rolls a template change with RollingUpdate, and scaling to 0 deletes every pod', async () => {
    await edit<Deployment>(h, R.deployments, NS, 'web', cur => {
      const template = structuredClone(cur.spec!.template);
      template.spec!.containers[0].image = 'v2';
      return { ...cur, spec: { ...cur.spec!, template } };
    });
    await waitFor(
      'rolled to v2',
      async () => {
        await runScheduledPods('app=web');
        await finishTerminating('app=web');
        const ps = live(await podsOf('app=web'));
        return (
          ps.length === 2 &&
          ps.every(
            p =>
              p.spec?.containers[0].image === 'v2' &&
              p.status?.phase === 'Running',
          )
        );
      },
      40_000,
    );
    const d = await waitFor('updated status', async () => {
      const x = await h.rest.get<Deployment>(R.deployments, NS, 'web');
      return x.status?.updatedReplicas === 2 && x.status.availableReplicas === 2
        ? x
        : undefined;
    });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe(
      '2',
    );
    const sets = (
      await h.rest.list<ReplicaSet>(R.replicasets, NS)
    ).items.filter(r => r.metadata?.ownerReferences?.[0]?.name === 'web');
    expect(sets.map(r => r.spec?.replicas).sort()).toEqual([0, 2]);

    await edit<Deployment>(h, R.deployments, NS, 'web', now => ({
      ...now,
      spec: { ...now.spec!, replicas: 0 },
    }));
    await waitFor(
      'pods marked for deletion',
      async () => live(await podsOf('app=web')).length === 0,
    );
    await finishTerminating('app=web');
    await waitFor(
      'status 0',
      async () =>
        (await h.rest.get<Deployment>(R.deployments, NS, 'web')).status
          ?.replicas === 0,
    );
  });

  it('Recreate stops every old pod before starting new ones', async () => {
    await h.rest.create(
      R.deployments,
      NS,
      deployment('db', 1, 'v1', { type: 'Recreate' }),
    );
    await waitFor(
      'db pod scheduled',
      async () =>
        live(await podsOf('app=db')).filter(p => p.spec?.nodeName).length === 1,
    );
    await runScheduledPods('app=db');
    await edit<Deployment>(h, R.deployments, NS, 'db', cur => {
      const template = structuredClone(cur.spec!.template);
      template.spec!.containers[0].image = 'v2';
      return { ...cur, spec: { ...cur.spec!, template } };
    });
    await waitFor(
      'old pod deleted',
      async () => live(await podsOf('app=db')).length === 0,
    );
    // While the old pod is still terminating, no new pod may start.
    await new Promise(r => setTimeout(r, 500));
    expect(
      (await podsOf('app=db')).every(p => p.spec?.containers[0].image === 'v1'),
    ).toBe(true);
    await finishTerminating('app=db');
    const ps = await waitFor('new pod', async () => {
      const x = live(await podsOf('app=db'));
      return x.length === 1 ? x : undefined;
    });
    expect(ps[0].spec?.containers[0].image).toBe('v2');
  });

  it('keeps a pod whose claim does not exist Pending with PodScheduled=False Unschedulable', async () => {
    await h.rest.create<Pod>(R.pods, NS, {
      metadata: { name: 'needs-claim' },
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        volumes: [
          { name: 'd', persistentVolumeClaim: { claimName: 'missing' } },
        ],
      },
    });
    const cond = await waitFor('PodScheduled=False', async () => {
      const p = await h.rest.get<Pod>(R.pods, NS, 'needs-claim');
      return p.status?.conditions?.find(
        c => c.type === 'PodScheduled' && c.status === 'False',
      );
    });
    expect(cond.reason).toBe('Unschedulable');
    expect(cond.message).toMatch(/persistentvolumeclaim "missing" not found/);
    expect(
      (await h.rest.get<Pod>(R.pods, NS, 'needs-claim')).spec?.nodeName,
    ).toBeUndefined();
  });

  it('respects nodeSelector', async () => {
    await h.rest.create<Pod>(R.pods, NS, {
      metadata: { name: 'picky' },
      spec: {
        nodeSelector: { disk: 'ssd' },
        containers: [{ name: 'c', image: 'x' }],
      },
    });
    await waitFor('unschedulable', async () =>
      (await h.rest.get<Pod>(R.pods, NS, 'picky')).status?.conditions?.some(
        c => c.reason === 'Unschedulable',
      ),
    );
    await registerNode(h.rest, 'ssd-node', { disk: 'ssd' });
    const p = await waitFor('bound to ssd-node', async () => {
      const x = await h.rest.get<Pod>(R.pods, NS, 'picky');
      return x.spec?.nodeName ? x : undefined;
    });
    expect(p.spec?.nodeName).toBe('ssd-node');
  });

  it('a ReplicaSet adopts matching orphans and releases pods that stop matching', async () => {
    await h.rest.create<Pod>(R.pods, NS, {
      metadata: { name: 'stray', labels: { app: 'adopt' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await h.rest.create<ReplicaSet>(R.replicasets, NS, {
      metadata: { name: 'adopter' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'adopt' } },
        template: {
          metadata: { labels: { app: 'adopt' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    const adopted = await waitFor('stray adopted', async () => {
      const p = await h.rest.get<Pod>(R.pods, NS, 'stray');
      return p.metadata?.ownerReferences?.[0]?.name === 'adopter'
        ? p
        : undefined;
    });
    expect(adopted.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      controller: true,
      blockOwnerDeletion: true,
    });
    await waitFor(
      '2 pods',
      async () => live(await podsOf('app=adopt')).length === 2,
    );
    await new Promise(r => setTimeout(r, 300));
    expect(live(await podsOf('app=adopt'))).toHaveLength(2);

    await edit<Pod>(h, R.pods, NS, 'stray', cur => ({
      ...cur,
      metadata: { ...cur.metadata, labels: { app: 'debug' } },
    }));
    await waitFor(
      'released',
      async () =>
        !(await h.rest.get<Pod>(R.pods, NS, 'stray')).metadata?.ownerReferences
          ?.length,
    );
    await waitFor(
      'replacement',
      async () => live(await podsOf('app=adopt')).length === 2,
    );
  });

  it('reports ProgressDeadlineExceeded when a rollout stops moving', async () => {
    const d = deployment('stuck', 1, 'v1');
    d.spec!.progressDeadlineSeconds = 1;
    await h.rest.create(R.deployments, NS, d);
    // No kubelet runs the pod: it never becomes ready, so the rollout cannot progress.
    const cond = await waitFor(
      'deadline exceeded',
      async () => {
        const x = await h.rest.get<Deployment>(R.deployments, NS, 'stuck');
        return x.status?.conditions?.find(
          c => c.type === 'Progressing' && c.status === 'False',
        );
      },
      15_000,
    );
    expect(cond.reason).toBe('ProgressDeadlineExceeded');
  });
});
