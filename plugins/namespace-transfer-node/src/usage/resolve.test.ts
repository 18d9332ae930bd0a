import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { resolveClaimUsage, resolveNamespaceClaims } from './resolve';
import type { ControllerObject, NamespaceSnapshot } from './snapshot';

const mounting = (claim: string): V1PodSpec => ({
  containers: [{ name: 'app' }],
  volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }],
});

const owner = (c: ControllerObject) => [
  {
    apiVersion: c.apiVersion,
    kind: c.kind,
    name: c.metadata.name!,
    uid: c.metadata.uid!,
    controller: true,
  },
];

function controller(
  kind: string,
  name: string,
  extra: Partial<ControllerObject> = {},
  ownedBy?:
    | ControllerObject
    | { apiVersion: string; kind: string; name: string; uid: string },
): ControllerObject {
  const base = {
    apiVersion: kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      uid: `uid-${kind}-${name}`,
      ...(ownedBy
        ? {
            ownerReferences:
              'metadata' in ownedBy
                ? owner(ownedBy)
                : [{ ...ownedBy, controller: true }],
          }
        : {}),
    },
    replicas: 1,
    ...extra,
  };
  return base;
}

function pod(
  name: string,
  claim: string,
  ownedBy?: ControllerObject,
  phase = 'Running',
): V1Pod {
  return {
    metadata: {
      name,
      ...(ownedBy ? { ownerReferences: owner(ownedBy) } : {}),
    },
    spec: mounting(claim),
    status: { phase },
  };
}

const snapshot = (
  pods: V1Pod[],
  controllers: ControllerObject[],
  claims: string[] = [],
): NamespaceSnapshot => ({ namespace: 'ns', pods, controllers, claims });

const summary = (s: NamespaceSnapshot, claim: string) => {
  const u = resolveClaimUsage(s, claim);
  return {
    pods: u.pods.map(p => p.metadata?.name),
    finished: u.finishedPods.map(p => p.metadata?.name),
    stop: u.workloads.map(w => `${w.ref.kind}/${w.ref.name}`),
    unstoppable: u.unstoppable.map(x => `${x.kind}/${x.name}`),
  };
};

describe('resolveClaimUsage', () => {
  const deploy = controller('Deployment', 'web', {
    podSpec: mounting('data'),
  });
  const rs = controller(
    'ReplicaSet',
    'web-abc',
    { podSpec: mounting('data') },
    deploy,
  );
  const sts = controller('StatefulSet', 'cache', {
    claimTemplates: ['data'],
    podSpec: { containers: [{ name: 'c' }] },
  });
  const cron = controller('CronJob', 'backup', {
    podSpec: mounting('data'),
  });
  const cronJob = controller(
    'Job',
    'backup-123',
    { podSpec: mounting('data'), active: true },
    cron,
  );
  const ds = controller('DaemonSet', 'agent', {
    podSpec: mounting('data'),
    replicas: 2,
  });

  it.each([
    [
      'a Deployment through its ReplicaSet',
      snapshot([pod('web-abc-1', 'data', rs)], [deploy, rs]),
      'data',
      {
        pods: ['web-abc-1'],
        finished: [],
        stop: ['Deployment/web'],
        unstoppable: [],
      },
    ],
    [
      "a StatefulSet's claim from its volumeClaimTemplates, with its pod",
      snapshot([pod('cache-0', 'data-cache-0', sts)], [sts], ['data-cache-0']),
      'data-cache-0',
      {
        pods: ['cache-0'],
        finished: [],
        stop: ['StatefulSet/cache'],
        unstoppable: [],
      },
    ],
    [
      'a StatefulSet scaled to zero still owns its claim (it could start a pod meanwhile)',
      snapshot([], [{ ...sts, replicas: 0 }], ['data-cache-0']),
      'data-cache-0',
      { pods: [], finished: [], stop: ['StatefulSet/cache'], unstoppable: [] },
    ],
    [
      "a CronJob through its running Job's pod",
      snapshot([pod('backup-123-x', 'data', cronJob)], [cron, cronJob]),
      'data',
      {
        pods: ['backup-123-x'],
        finished: [],
        stop: ['CronJob/backup'],
        unstoppable: [],
      },
    ],
    [
      'a DaemonSet',
      snapshot([pod('agent-1', 'data', ds)], [ds]),
      'data',
      {
        pods: ['agent-1'],
        finished: [],
        stop: ['DaemonSet/agent'],
        unstoppable: [],
      },
    ],
    [
      'a bare pod cannot be stopped',
      snapshot([pod('debug', 'data')], []),
      'data',
      { pods: ['debug'], finished: [], stop: [], unstoppable: ['Pod/debug'] },
    ],
    [
      'a running Job of its own cannot be stopped',
      (() => {
        const job = controller('Job', 'migrate', {
          podSpec: mounting('data'),
          active: true,
        });
        return snapshot([pod('migrate-x', 'data', job)], [job]);
      })(),
      'data',
      {
        pods: ['migrate-x'],
        finished: [],
        stop: [],
        unstoppable: ['Job/migrate'],
      },
    ],
    [
      "an operator's Deployment cannot be stopped (the operator would scale it back), even with no pod",
      (() => {
        const d = controller(
          'Deployment',
          'db',
          { podSpec: mounting('data'), replicas: 0 },
          {
            apiVersion: 'example.com/v1',
            kind: 'Database',
            name: 'db',
            uid: 'cr-1',
          },
        );
        return snapshot([], [d]);
      })(),
      'data',
      { pods: [], finished: [], stop: [], unstoppable: ['Database/db'] },
    ],
    [
      'finished pods are listed apart and stop nothing',
      (() => {
        const done = controller('Job', 'once', {
          podSpec: mounting('data'),
          active: false,
        });
        return snapshot(
          [
            pod('once-x', 'data', done, 'Succeeded'),
            pod('old', 'data', undefined, 'Failed'),
          ],
          [done],
        );
      })(),
      'data',
      { pods: [], finished: ['once-x', 'old'], stop: [], unstoppable: [] },
    ],
    [
      'a DeploymentConfig through its ReplicationController',
      (() => {
        const dc = {
          ...controller('DeploymentConfig', 'legacy', {
            podSpec: mounting('data'),
          }),
          apiVersion: 'apps.openshift.io/v1',
        };
        const rc = {
          ...controller(
            'ReplicationController',
            'legacy-1',
            { podSpec: mounting('data') },
            dc,
          ),
          apiVersion: 'v1',
        };
        return snapshot([pod('legacy-1-x', 'data', rc)], [dc, rc]);
      })(),
      'data',
      {
        pods: ['legacy-1-x'],
        finished: [],
        stop: ['DeploymentConfig/legacy'],
        unstoppable: [],
      },
    ],
    [
      'an old ReplicaSet at zero whose template mounted the claim does not stop a Deployment that no longer does',
      (() => {
        const d = controller('Deployment', 'api', {
          podSpec: mounting('other'),
        });
        const old = controller(
          'ReplicaSet',
          'api-old',
          { podSpec: mounting('data'), replicas: 0 },
          d,
        );
        return snapshot([], [d, old]);
      })(),
      'data',
      { pods: [], finished: [], stop: [], unstoppable: [] },
    ],
  ])('%s', (_, snap, claim, expected) => {
    expect(summary(snap, claim)).toEqual(expected);
  });

  it('reads the quiesce holder from the controller it stops, and the controller replicas as the plan shows them', () => {
    const held = {
      ...deploy,
      replicas: 0,
      metadata: {
        ...deploy.metadata,
        annotations: { 'namespace-transfer.io/quiesced-by': 't-1' },
      },
    };
    const u = resolveClaimUsage(snapshot([], [held, rs]), 'data');
    expect(u.workloads).toEqual([
      expect.objectContaining({
        ref: { kind: 'Deployment', namespace: 'ns', name: 'web', replicas: 0 },
        quiescedBy: 't-1',
      }),
    ]);
  });

  it('resolves every claim of a namespace from one snapshot', () => {
    const all = resolveNamespaceClaims(
      snapshot(
        [
          pod('web-abc-1', 'data', rs),
          pod('cache-0', 'data-cache-0', sts),
          pod('debug', 'scratch'),
        ],
        [deploy, rs, sts],
        ['data', 'data-cache-0', 'scratch'],
      ),
    );
    expect(
      Object.fromEntries(
        [...all].map(([claim, u]) => [
          claim,
          [
            ...u.workloads.map(w => w.ref.name),
            ...u.unstoppable.map(x => `!${x.name}`),
          ],
        ]),
      ),
    ).toEqual({
      data: ['web'],
      'data-cache-0': ['cache'],
      scratch: ['!debug'],
    });
  });
});
