import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { planChanges } from './planChanges';

const approved: Plan = {
  transferId: 't1',
  source: {
    cluster: 'east',
    namespace: 'shop',
    name: 'data',
    capacityBytes: 10 * 2 ** 30,
    usedBytes: 2 * 2 ** 30,
    storageClassName: 'fast',
    accessModes: ['ReadWriteOnce'],
    volumeName: 'pv-1',
  },
  destination: {
    cluster: 'west',
    namespace: 'shop2',
    name: 'data',
    storageClassName: 'fast',
    sizeBytes: 10 * 2 ** 30,
    exists: false,
  },
  mode: 'copy',
  modeReason: 'another cluster: only a copy can move the data',
  intent: 'move',
  mover: 'rsync',
  transport: 'stunnel',
  endpoint: 'route',
  endpointReason: 'the destination serves Routes',
  identity: {
    runAsUser: 1500,
    runAsGroup: 1500,
    fsGroup: 1500,
    source: 'destination-workload',
    groupWritable: false,
  },
  workloads: [
    { kind: 'StatefulSet', namespace: 'shop', name: 'web', replicas: 1 },
  ],
  usedBy: { pods: ['web-0'], finishedPods: [] },
  podSecurity: { destination: 'restricted' },
  moverResources: {
    source: { requests: { cpu: '100m' } },
    destination: { requests: { cpu: '100m' } },
  },
  estimatedSeconds: 120,
  estimatedDowntimeSeconds: 10,
  warnings: [],
  refusals: [],
  allowed: true,
};

const fresh = (patch: (p: Plan) => void): Plan => {
  const p = structuredClone(approved);
  patch(p);
  return p;
};

describe('planChanges', () => {
  it('finds nothing between a plan and itself', () => {
    expect(planChanges(approved, structuredClone(approved))).toEqual([]);
  });

  it.each<[string, (p: Plan) => void]>([
    [
      'other estimates and more used bytes',
      p => {
        p.estimatedSeconds = 900;
        p.estimatedDowntimeSeconds = 90;
        p.source.usedBytes = 5 * 2 ** 30;
      },
    ],
    [
      'a rollout renamed the pods that use the claim',
      p => {
        p.usedBy = { pods: ['web-1'], finishedPods: ['web-0'] };
      },
    ],
    [
      'more replicas of a workload that was running already',
      p => {
        p.workloads[0].replicas = 3;
      },
    ],
    [
      'a user of the claim went away',
      p => {
        p.workloads = [];
        p.usedBy = { pods: [], finishedPods: [] };
      },
    ],
    ['a new warning', p => p.warnings.push('the destination may be slow')],
    [
      "the mover's resources (the operator's config)",
      p => {
        p.moverResources!.source.requests.cpu = '1';
      },
    ],
    [
      'where the identity came from, with the same numbers',
      p => {
        p.identity!.source = 'override';
      },
    ],
    ['the reasons reworded', p => (p.modeReason = 'copy, as asked')],
  ])('is not changed in substance by %s', (_, patch) => {
    expect(planChanges(approved, fresh(patch))).toEqual([]);
  });

  it.each<[string, (p: Plan) => void, RegExp]>([
    [
      'another mode',
      p => {
        p.mode = 'rebind';
        p.modeReason = 'same cluster: the volume is handed over';
      },
      /^the mode is now rebind \(approved: copy\): same cluster: the volume is handed over$/,
    ],
    [
      'another intent',
      p => (p.intent = 'clone'),
      /^the intent is now clone \(approved: move\)$/,
    ],
    [
      'another transport',
      p => (p.transport = 'null'),
      /^the transport is now null \(approved: stunnel\)$/,
    ],
    [
      'another endpoint',
      p => {
        p.endpoint = 'loadbalancer';
        p.endpointReason = 'no Routes served';
      },
      /^the endpoint is now loadbalancer \(approved: route\): no Routes served$/,
    ],
    [
      'a new workload using the claim',
      p =>
        p.workloads.push({
          kind: 'Deployment',
          namespace: 'shop',
          name: 'report',
          replicas: 1,
        }),
      /^Deployment shop\/report now uses the claim and will be stopped/,
    ],
    [
      'another volume behind the source claim',
      p => (p.source.volumeName = 'pv-9'),
      /^the source claim's volume is now pv-9 \(approved: pv-1\): the claim was bound to another volume/,
    ],
    [
      'another storage class at the destination',
      p => (p.destination.storageClassName = 'slow'),
      /^the destination's storage class is now slow \(approved: fast\)$/,
    ],
    [
      'another size at the destination',
      p => (p.destination.sizeBytes = 20 * 2 ** 30),
      /^the destination's size is now 21474836480 bytes \(approved: 10737418240 bytes\)$/,
    ],
    [
      'another identity for the files',
      p => {
        p.identity!.runAsUser = 1000680000;
        p.identity!.groupWritable = true;
      },
      /^the identity the files land as is now uid 1000680000, gid 1500, fsGroup 1500, group-writable \(approved: uid 1500, gid 1500, fsGroup 1500\)$/,
    ],
    [
      'a new refusal',
      p => {
        p.refusals.push({
          code: 'QuotaExceeded',
          message: 'quota shop2/q allows 5Gi of storage',
        });
        p.allowed = false;
      },
      /^the engine now refuses it: QuotaExceeded: quota shop2\/q allows 5Gi of storage$/,
    ],
  ])('reports %s in one line', (_, patch, line) => {
    const lines = planChanges(approved, fresh(patch));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it('reports a workload that was stopped when approved and runs now', () => {
    const stopped = fresh(p => {
      p.workloads[0].replicas = 0;
      p.usedBy = { pods: [], finishedPods: [] };
    });
    expect(planChanges(stopped, approved)).toEqual([
      'StatefulSet shop/web now runs (1 replicas; it ran none when approved) and will be stopped',
      'the claim is now in use by 1 pod (web-0); it was not when approved',
    ]);
  });

  it('reports a claim in use that was not, and every difference at once', () => {
    const idle = fresh(p => {
      p.workloads = [];
      p.usedBy = { pods: [], finishedPods: [] };
    });
    const busy = fresh(p => {
      p.usedBy = { pods: ['web-0', 'web-1'], finishedPods: [] };
      p.intent = 'clone';
    });
    expect(planChanges(idle, busy)).toEqual([
      'the intent is now clone (approved: move)',
      'StatefulSet shop/web now uses the claim and will be stopped (it did not when approved)',
      'the claim is now in use by 2 pods (web-0, web-1); it was not when approved',
    ]);
  });

  it('does not report a refusal that was already there', () => {
    const refused = fresh(p => {
      p.refusals = [{ code: 'OptedOut', message: 'opted out' }];
      p.allowed = false;
    });
    expect(planChanges(refused, structuredClone(refused))).toEqual([]);
  });
});
