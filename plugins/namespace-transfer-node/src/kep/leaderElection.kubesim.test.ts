/**
 * Leader election on kube-sim's Leases, run as two ServiceAccounts that hold only the Role deploy/'s RBAC
 * gives the controller (get, create, update on leases in one namespace): one replica leads, a stopped
 * leader hands over at once through the release, a leader whose renewals fail steps down before the other
 * takes over at expiry, and at no sampled moment do both lead.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  Watch,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import { hostname } from 'node:os';
import { startClusters, type SimWorld } from 'kube-sim';
import {
  recordOf,
  startLeaderElection,
  type LeaderElection,
} from './leaderElection';

jest.setTimeout(120_000);

const NS = 'kep-system';
const TIMING = {
  leaseDurationMs: 2000,
  renewDeadlineMs: 1500,
  retryPeriodMs: 300,
};
const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const userOf = (sa: string) => `system:serviceaccount:${NS}:${sa}`;

interface Replica {
  name: string;
  election: LeaderElection;
  /** one signal per time it started leading */
  signals: AbortSignal[];
  startedAt: number[];
  stoppedAt: number[];
  logs: string[];
}

interface LeaseEvent {
  at: number;
  holder: string;
  leaseDurationSeconds: number;
  leaseTransitions: number;
  renewTime?: string;
}

describe('leader election on kube-sim', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  const accounts: Record<string, KubeConfig> = {};
  const replicas: Replica[] = [];
  /** isLeader() of every replica, sampled at each start, stop and Lease change */
  const samples: boolean[][] = [];
  const sample = () => samples.push(replicas.map(r => r.election.isLeader()));

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    const core = admin.makeApiClient(CoreV1Api);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await rbac.createNamespacedRole({
      namespace: NS,
      body: {
        metadata: { name: 'leader-election' },
        rules: [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'update'],
          },
        ],
      },
    });
    for (const sa of ['replica-a', 'replica-b']) {
      await core.createNamespacedServiceAccount({
        namespace: NS,
        body: { metadata: { name: sa } },
      });
      accounts[sa] = world
        .cluster('east')
        .serviceAccountKubeConfig(NS, sa).kubeConfig;
    }
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'leader-election' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'leader-election',
        },
        subjects: Object.keys(accounts).map(name => ({
          kind: 'ServiceAccount',
          namespace: NS,
          name,
        })),
      },
    });
  });

  afterEach(async () => {
    await Promise.all(replicas.map(r => r.election.stop()));
    replicas.length = 0;
    samples.length = 0;
  });

  afterAll(async () => {
    world?.cluster('east').apiServer.faults.clear();
    await world?.stop();
  });

  function start(sa: string, lease: string, identity?: string): Replica {
    const signals: AbortSignal[] = [];
    const startedAt: number[] = [];
    const stoppedAt: number[] = [];
    const logs: string[] = [];
    const election = startLeaderElection({
      kubeConfig: accounts[sa],
      namespace: NS,
      name: lease,
      identity,
      ...TIMING,
      onStartedLeading: lost => {
        signals.push(lost);
        startedAt.push(Date.now());
        sample();
      },
      onStoppedLeading: () => {
        stoppedAt.push(Date.now());
        sample();
      },
      log: m => logs.push(m),
    });
    const r = { name: sa, election, signals, startedAt, stoppedAt, logs };
    replicas.push(r);
    return r;
  }

  /** every change of the Lease as the admin's watch sees it, sampling isLeader() at each */
  async function watchLease(name: string) {
    const events: LeaseEvent[] = [];
    const waiters: Array<() => void> = [];
    const watch = await new Watch(admin).watch(
      `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
      { fieldSelector: `metadata.name=${name}` },
      (_type, obj: V1Lease) => {
        const rec = recordOf(obj);
        events.push({
          at: Date.now(),
          holder: rec.holderIdentity,
          leaseDurationSeconds: rec.leaseDurationSeconds,
          leaseTransitions: rec.leaseTransitions,
          renewTime: rec.renewTime,
        });
        sample();
        waiters.splice(0).forEach(w => w());
      },
      () => undefined,
    );
    /** resolves once an event satisfies `ok` (looking at those seen already too) */
    const until = async (ok: (e: LeaseEvent[]) => boolean) => {
      while (!ok(events)) await new Promise<void>(r => waiters.push(r));
    };
    return { events, until, stop: () => watch.abort() };
  }

  /** stops every replica (a stop is sampled too) and checks that no sample saw two leaders */
  async function expectNeverTwoLeaders() {
    await Promise.all(replicas.map(r => r.election.stop()));
    expect(samples.length).toBeGreaterThan(3);
    expect(samples.filter(s => s.filter(Boolean).length > 1)).toEqual([]);
  }

  const readLease = (name: string) =>
    admin
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace: NS, name });

  const firstLeader = async (...rs: Replica[]) => {
    await Promise.race(rs.map(r => r.election.leading));
    const leaders = rs.filter(r => r.election.isLeader());
    expect(leaders).toHaveLength(1);
    return [leaders[0], rs.find(r => r !== leaders[0])!] as const;
  };

  const aborted = (s: AbortSignal) =>
    new Promise<void>(resolve =>
      s.aborted ? resolve() : s.addEventListener('abort', () => resolve()),
    );

  it('holds no more rights than the Role: it cannot list or delete leases', async () => {
    const api = accounts['replica-a'].makeApiClient(CoordinationV1Api);
    await expect(
      api.listNamespacedLease({ namespace: NS }),
    ).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      api.readNamespacedLease({ namespace: 'default', name: 'x' }),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('exactly one of two replicas leads, and the Lease names it', async () => {
    const watch = await watchLease('one');
    const a = start('replica-a', 'one');
    const b = start('replica-b', 'one');
    const [leader, follower] = await firstLeader(a, b);
    const lease = recordOf(await readLease('one'));
    expect(lease).toMatchObject({
      holderIdentity: expect.stringMatching(
        new RegExp(`^${escapeRegExp(hostname())}_[0-9a-f-]{36}$`),
      ),
      leaseDurationSeconds: 2,
      leaseTransitions: 0,
    });
    // three renewals later (more than a retry period of the follower each), the follower still follows
    await watch.until(es => new Set(es.map(e => e.renewTime)).size >= 4);
    expect(follower.election.isLeader()).toBe(false);
    expect(follower.startedAt).toEqual([]);
    expect(leader.election.isLeader()).toBe(true);
    expect(new Set(watch.events.map(e => e.holder))).toEqual(
      new Set([lease.holderIdentity]),
    );
    watch.stop();
    await expectNeverTwoLeaders();
  });

  it('a stopped leader releases the lease and the other replica takes over well before it would expire', async () => {
    const watch = await watchLease('handover');
    const a = start('replica-a', 'handover', 'a');
    const b = start('replica-b', 'handover', 'b');
    const [leader, follower] = await firstLeader(a, b);
    const stoppedAt = Date.now();
    await leader.election.stop();
    expect(leader.signals[0].aborted).toBe(true);
    expect(leader.election.isLeader()).toBe(false);
    await follower.election.leading;
    const tookMs = follower.startedAt[0] - stoppedAt;
    expect(tookMs).toBeLessThan(TIMING.leaseDurationMs);
    const lease = recordOf(await readLease('handover'));
    expect(lease).toMatchObject({
      holderIdentity: follower === a ? 'a' : 'b',
      leaseTransitions: 1,
      leaseDurationSeconds: 2,
    });
    // the release the follower took over from: no holder, one second
    expect(watch.events).toContainEqual(
      expect.objectContaining({
        holder: '',
        leaseDurationSeconds: 1,
        leaseTransitions: 0,
      }),
    );
    expect(leader.logs.join('\n')).toMatch(
      /released lease kep-system\/handover/,
    );
    watch.stop();
    await expectNeverTwoLeaders();
  });

  it('a leader whose renewals fail stops leading, and the other takes over once the lease expired', async () => {
    const watch = await watchLease('faulty');
    const a = start('replica-a', 'faulty', 'a');
    const b = start('replica-b', 'faulty', 'b');
    const [leader, follower] = await firstLeader(a, b);
    const fault = world.cluster('east').apiServer.faults.add({
      verb: 'update',
      resource: 'leases',
      name: 'faulty',
      user: userOf(leader.name),
      status: 503,
    });
    await aborted(leader.signals[0]);
    expect(fault.hits).toBeGreaterThan(0);
    expect(leader.election.isLeader()).toBe(false);
    expect(leader.stoppedAt).toHaveLength(1);
    expect(String(leader.signals[0].reason)).toMatch(
      /could not renew within 1500 ms/,
    );
    await follower.election.leading;
    // the follower saw the leader's last renewal no earlier than the watch did, and waited the lease out
    const lastRenewal = watch.events
      .filter(e => e.holder === (leader === a ? 'a' : 'b'))
      .at(-1)!;
    expect(follower.startedAt[0] - lastRenewal.at).toBeGreaterThanOrEqual(
      TIMING.leaseDurationMs - 200,
    );
    expect(follower.startedAt[0]).toBeGreaterThan(leader.stoppedAt[0]);
    fault.remove();
    const lease = recordOf(await readLease('faulty'));
    expect(lease).toMatchObject({
      holderIdentity: follower === a ? 'a' : 'b',
      leaseTransitions: 1,
    });
    // back to trying, the old leader sees the new one and stays a follower
    await watch.until(
      es =>
        new Set(
          es
            .filter(e => e.holder === lease.holderIdentity)
            .map(e => e.renewTime),
        ).size >= 4,
    );
    expect(leader.election.isLeader()).toBe(false);
    expect(leader.startedAt).toHaveLength(1);
    watch.stop();
    await expectNeverTwoLeaders();
  });
});
