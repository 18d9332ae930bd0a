import { R } from '../kube/resources';
import type {
  CronJob,
  DaemonSet,
  Job,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
} from '../kube/types';
import {
  markPodFinished,
  markPodRunning,
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
  edit,
} from '../testing/harness';

jest.setTimeout(150_000);

let h: ControllerHarness;
const NS = 'sb';
let ip = 10;
const podTemplate = (
  labels: Record<string, string>,
  restartPolicy?: string,
) => ({
  metadata: { labels },
  spec: {
    restartPolicy,
    containers: [{ name: 'c', image: 'x', command: ['true'] }],
  },
});
const podsOf = async (selector: string) =>
  (
    await h.rest.list<Pod>(R.pods, NS, { labelSelector: selector })
  ).items.filter(p => !p.metadata?.deletionTimestamp);

beforeAll(async () => {
  h = await startHarness('sbt');
  await registerNode(h.rest, h.nodeName);
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: NS },
  });
  // Created first: the schedule fires at the next minute boundary while the other tests run.
  const cron = (name: string, suspend: boolean): CronJob => ({
    metadata: { name },
    spec: {
      schedule: '* * * * *',
      suspend,
      jobTemplate: { spec: { template: podTemplate({ cron: name }, 'Never') } },
    },
  });
  await h.rest.create(R.cronjobs, NS, cron('tick', false));
  await h.rest.create(R.cronjobs, NS, cron('paused', true));
});
afterAll(async () => h?.stop());

describe('StatefulSet', () => {
  it('creates ordered pods with claims from the templates, and keeps the claims on scale-down', async () => {
    for (let i = 0; i < 2; i++) {
      await h.rest.create<PersistentVolume>(R.persistentvolumes, undefined, {
        metadata: { name: `sts-pv-${i}` },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'manual',
          hostPath: { path: `/tmp/sts-pv-${i}` },
        },
      });
    }
    await h.rest.create<StatefulSet>(R.statefulsets, NS, {
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: podTemplate({ app: 'db' }),
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: 'manual',
              resources: { requests: { storage: '1Gi' } },
            },
          },
        ],
      },
    });
    const first = await waitFor('db-0 scheduled', async () => {
      const p = (await podsOf('app=db')).find(x => x.metadata?.name === 'db-0');
      return p?.spec?.nodeName ? p : undefined;
    });
    expect(
      first.spec?.volumes?.find(v => v.name === 'data')?.persistentVolumeClaim
        ?.claimName,
    ).toBe('data-db-0');
    expect(first.spec?.hostname).toBe('db-0');
    expect(first.spec?.subdomain).toBe('db');
    // OrderedReady: db-1 only after db-0 is Running and Ready.
    await new Promise(r => setTimeout(r, 400));
    expect((await podsOf('app=db')).map(p => p.metadata?.name)).toEqual([
      'db-0',
    ]);
    await markPodRunning(h.rest, NS, 'db-0', `127.77.3.${ip++}`);
    await waitFor(
      'db-1 scheduled',
      async () =>
        (await podsOf('app=db')).find(x => x.metadata?.name === 'db-1')?.spec
          ?.nodeName,
    );
    await markPodRunning(h.rest, NS, 'db-1', `127.77.3.${ip++}`);
    const s = await waitFor('status ready 2', async () => {
      const x = await h.rest.get<StatefulSet>(R.statefulsets, NS, 'db');
      return x.status?.readyReplicas === 2 ? x : undefined;
    });
    expect(s.status).toMatchObject({
      replicas: 2,
      availableReplicas: 2,
      observedGeneration: s.metadata?.generation,
    });
    const claim = await h.rest.get<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      NS,
      'data-db-1',
    );
    expect(claim.metadata?.labels).toMatchObject({ app: 'db' });

    await edit<StatefulSet>(h, R.statefulsets, NS, 'db', cur => ({
      ...cur,
      spec: { ...cur.spec!, replicas: 1 },
    }));
    await waitFor(
      'db-1 deleted',
      async () =>
        !(await podsOf('app=db')).some(p => p.metadata?.name === 'db-1'),
    );
    expect(
      (
        await h.rest.get<PersistentVolumeClaim>(
          R.persistentvolumeclaims,
          NS,
          'data-db-1',
        )
      ).metadata?.name,
    ).toBe('data-db-1');
  });
});

describe('DaemonSet', () => {
  it('runs one pod per node', async () => {
    await h.rest.create<DaemonSet>(R.daemonsets, NS, {
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: podTemplate({ app: 'agent' }),
      },
    });
    const pods = await waitFor('one pod bound', async () => {
      const ps = await podsOf('app=agent');
      return ps.length === 1 && ps[0].spec?.nodeName ? ps : undefined;
    });
    expect(pods[0].spec?.nodeName).toBe(h.nodeName);
    await registerNode(h.rest, 'second-node');
    const two = await waitFor('pod on the second node', async () => {
      const ps = await podsOf('app=agent');
      return ps.length === 2 && ps.every(p => p.spec?.nodeName)
        ? ps
        : undefined;
    });
    expect(two.map(p => p.spec?.nodeName).sort()).toEqual(
      [h.nodeName, 'second-node'].sort(),
    );
    const d = await waitFor('status', async () => {
      const x = await h.rest.get<DaemonSet>(R.daemonsets, NS, 'agent');
      return x.status?.desiredNumberScheduled === 2 &&
        x.status.currentNumberScheduled === 2
        ? x
        : undefined;
    });
    expect(d.status?.numberMisscheduled).toBe(0);
  });
});

describe('Job', () => {
  it('runs pods until completions succeed, then is Complete', async () => {
    await h.rest.create<Job>(R.jobs, NS, {
      metadata: { name: 'work' },
      spec: {
        completions: 2,
        parallelism: 1,
        template: podTemplate({ job: 'work' }, 'Never'),
      },
    });
    for (let i = 0; i < 2; i++) {
      const p = await waitFor(`pod ${i}`, async () =>
        (await podsOf('job=work')).find(x => x.status?.phase !== 'Succeeded'),
      );
      expect(p.metadata?.labels?.['batch.kubernetes.io/job-name']).toBe('work');
      await markPodFinished(
        h.rest,
        NS,
        p.metadata?.name as string,
        'Succeeded',
      );
    }
    const j = await waitFor('Complete', async () => {
      const x = await h.rest.get<Job>(R.jobs, NS, 'work');
      return x.status?.conditions?.some(
        c => c.type === 'Complete' && c.status === 'True',
      )
        ? x
        : undefined;
    });
    expect(j.status?.succeeded).toBe(2);
    expect(j.status?.completionTime).toBeTruthy();
    expect(j.status?.startTime).toBeTruthy();
  });

  it('deletes a finished Job with its pods once ttlSecondsAfterFinished has passed', async () => {
    await h.rest.create<Job>(R.jobs, NS, {
      metadata: { name: 'brief' },
      spec: {
        ttlSecondsAfterFinished: 1,
        template: podTemplate({ job: 'brief' }, 'Never'),
      },
    });
    const p = await waitFor('pod', async () => (await podsOf('job=brief'))[0]);
    await markPodFinished(h.rest, NS, p.metadata?.name as string, 'Succeeded');
    await waitFor(
      'Complete',
      async () =>
        (await h.rest.get<Job>(R.jobs, NS, 'brief')).status?.completionTime,
    );
    await waitFor(
      'job gone',
      async () =>
        !(await h.rest.list<Job>(R.jobs, NS)).items.some(
          j => j.metadata?.name === 'brief',
        ),
      15_000,
    );
    expect(
      (await h.rest.list<Pod>(R.pods, NS, { labelSelector: 'job=brief' }))
        .items,
    ).toEqual([]);
  });

  it('fails with BackoffLimitExceeded', async () => {
    await h.rest.create<Job>(R.jobs, NS, {
      metadata: { name: 'bad' },
      spec: { backoffLimit: 0, template: podTemplate({ job: 'bad' }, 'Never') },
    });
    const p = await waitFor('pod', async () => (await podsOf('job=bad'))[0]);
    await markPodFinished(h.rest, NS, p.metadata?.name as string, 'Failed');
    const j = await waitFor('Failed', async () => {
      const x = await h.rest.get<Job>(R.jobs, NS, 'bad');
      return x.status?.conditions?.find(
        c => c.type === 'Failed' && c.status === 'True',
      )
        ? x
        : undefined;
    });
    expect(j.status?.conditions?.find(c => c.type === 'Failed')?.reason).toBe(
      'BackoffLimitExceeded',
    );
    expect(j.status?.failed).toBe(1);
  });
});

describe('CronJob', () => {
  it('creates a Job at the scheduled minute and records it; a suspended one does not', async () => {
    const job = await waitFor(
      'job of tick',
      async () =>
        (await h.rest.list<Job>(R.jobs, NS)).items.find(
          j => j.metadata?.ownerReferences?.[0]?.name === 'tick',
        ),
      75_000,
    );
    const minutes = Number(job.metadata?.name?.replace('tick-', ''));
    expect(Number.isInteger(minutes)).toBe(true);
    expect(
      job.metadata?.annotations?.[
        'batch.kubernetes.io/cronjob-scheduled-timestamp'
      ],
    ).toBe(new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
    const c = await waitFor('status', async () => {
      const x = await h.rest.get<CronJob>(R.cronjobs, NS, 'tick');
      return x.status?.lastScheduleTime && x.status.active?.length
        ? x
        : undefined;
    });
    expect(c.status?.active?.[0].name).toBe(job.metadata?.name);
    expect(
      (await h.rest.list<Job>(R.jobs, NS)).items.some(
        j => j.metadata?.ownerReferences?.[0]?.name === 'paused',
      ),
    ).toBe(false);
  });
});
