import { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import {
  ControllerObject,
  QUIESCED_AT,
  QUIESCED_BY,
  TRANSFERRED_BY,
  TRANSFERRED_TO,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { collectNamespaceVolumes } from './collectVolumes';
import { LabelledKeys, VolumesSnapshot } from './snapshot';

const ns = 'orders';

const pvc = (
  name: string,
  extra: Partial<V1PersistentVolumeClaim> = {},
): V1PersistentVolumeClaim => ({
  metadata: { name, namespace: ns, uid: `pvc-${name}`, ...extra.metadata },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'standard',
    resources: { requests: { storage: '1Gi' } },
    volumeName: `pv-${name}`,
  },
  status: { phase: 'Bound', capacity: { storage: '1Gi' } },
  ...(extra.status ? { status: extra.status } : {}),
});

const podSpec = (...claims: string[]) => ({
  containers: [{ name: 'c' }],
  volumes: claims.map((c, i) => ({
    name: `v${i}`,
    persistentVolumeClaim: { claimName: c },
  })),
});

const owner = (kind: string, name: string, uid: string) => [
  {
    apiVersion:
      kind === 'ReplicaSet' || kind === 'StatefulSet' ? 'apps/v1' : 'batch/v1',
    kind,
    name,
    uid,
    controller: true,
  },
];

const pod = (
  name: string,
  claims: string[],
  ownerReferences?: any[],
): V1Pod => ({
  metadata: { name, namespace: ns, uid: `pod-${name}`, ownerReferences },
  spec: podSpec(...claims),
  status: { phase: 'Running' },
});

const deployment: ControllerObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders-api', namespace: ns, uid: 'dep-1' },
  podSpec: podSpec('orders-uploads'),
  replicas: 1,
};
const replicaSet: ControllerObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'orders-api-5d9',
    namespace: ns,
    uid: 'rs-1',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'orders-api',
        uid: 'dep-1',
        controller: true,
      },
    ],
  },
  podSpec: podSpec('orders-uploads'),
  replicas: 1,
};
const statefulSet: ControllerObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'orders-cache', namespace: ns, uid: 'sts-1' },
  podSpec: { containers: [{ name: 'c' }], volumes: [] },
  replicas: 0,
  claimTemplates: ['data'],
};

const snapshot = (over: Partial<VolumesSnapshot> = {}): VolumesSnapshot => ({
  namespace: ns,
  namespaceAnnotations: {},
  pvcs: [
    pvc('orders-uploads'),
    pvc('data-orders-cache-0'),
    pvc('data-orders-cache-extra'),
    pvc('unrelated'),
  ],
  pods: [
    pod(
      'orders-api-5d9-abc',
      ['orders-uploads'],
      owner('ReplicaSet', 'orders-api-5d9', 'rs-1'),
    ),
    pod('stranger', ['unrelated']),
  ],
  controllers: [deployment, replicaSet, statefulSet],
  ...over,
});

const none = (): LabelledKeys => ({
  pvcs: new Set(),
  pods: new Set(),
  workloads: new Set(),
});

describe('collectNamespaceVolumes', () => {
  it('finds claims through labelled workloads, walking pod → ReplicaSet → Deployment', () => {
    const labelled = none();
    labelled.workloads.add('Deployment/orders/orders-api');
    const volumes = collectNamespaceVolumes('east', snapshot(), labelled);
    expect(volumes.map(v => v.name)).toEqual(['orders-uploads']);
    expect(volumes[0]).toMatchObject({
      cluster: 'east',
      namespace: 'orders',
      capacity: '1Gi',
      storageClass: 'standard',
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      volumeName: 'pv-orders-uploads',
      usedBy: {
        pods: [{ name: 'orders-api-5d9-abc', phase: 'Running' }],
        workloads: [
          {
            kind: 'Deployment',
            name: 'orders-api',
            apiVersion: 'apps/v1',
            replicas: 1,
          },
        ],
      },
      transferable: { transferable: true, source: 'default' },
    });
  });

  it('finds StatefulSet claims from volumeClaimTemplates even when scaled to zero, and not look-alikes', () => {
    const labelled = none();
    labelled.workloads.add('StatefulSet/orders/orders-cache');
    const volumes = collectNamespaceVolumes('east', snapshot(), labelled);
    expect(volumes.map(v => v.name)).toEqual(['data-orders-cache-0']);
    expect(volumes[0].usedBy.pods).toEqual([]);
    expect(volumes[0].usedBy.workloads).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'orders-cache',
        replicas: 0,
      },
    ]);
  });

  it('includes labelled PVCs that nothing mounts, and lists foreign users of a labelled PVC', () => {
    const labelled = none();
    labelled.pvcs.add('orders/unrelated');
    const [volume] = collectNamespaceVolumes('east', snapshot(), labelled);
    expect(volume.name).toBe('unrelated');
    expect(volume.usedBy.pods.map(p => p.name)).toEqual(['stranger']);
    expect(volume.usedBy.workloads).toEqual([]);
    // a bare pod: nothing to scale down, so a transfer cannot stop it
    expect(volume.usedBy.unstoppable).toEqual([
      {
        kind: 'Pod',
        name: 'stranger',
        reason: expect.stringContaining('without a controller'),
      },
    ]);
  });

  it('finds claims of labelled pods, including generic ephemeral volumes', () => {
    const ephemeralPod: V1Pod = {
      metadata: { name: 'job-pod', namespace: ns, uid: 'p9' },
      spec: {
        containers: [{ name: 'c' }],
        volumes: [
          { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        ],
      },
    };
    const labelled = none();
    labelled.pods.add('orders/job-pod');
    const volumes = collectNamespaceVolumes(
      'east',
      snapshot({
        pods: [ephemeralPod],
        pvcs: [pvc('job-pod-scratch'), pvc('other')],
      }),
      labelled,
    );
    expect(volumes.map(v => v.name)).toEqual(['job-pod-scratch']);
  });

  it('reports an unknown owner kind as the workload instead of dropping it', () => {
    const labelled = none();
    labelled.pods.add('orders/db-0');
    const volumes = collectNamespaceVolumes(
      'east',
      snapshot({
        pods: [
          pod(
            'db-0',
            ['orders-uploads'],
            [
              {
                apiVersion: 'acid.zalan.do/v1',
                kind: 'Postgresql',
                name: 'db',
                uid: 'x',
                controller: true,
              },
            ],
          ),
        ],
        controllers: [],
      }),
      labelled,
    );
    expect(volumes[0].usedBy.workloads).toEqual([
      { apiVersion: 'acid.zalan.do/v1', kind: 'Postgresql', name: 'db' },
    ]);
    expect(volumes[0].usedBy.unstoppable).toEqual([
      {
        kind: 'Postgresql',
        name: 'db',
        reason: expect.stringContaining('cannot stop a Postgresql'),
      },
    ]);
  });

  it('lists finished pods among the pods, but not a finished Job as a workload: it starts nothing', () => {
    const labelled = none();
    labelled.pvcs.add('orders/orders-uploads');
    const job: ControllerObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: ns, uid: 'job-1' },
      podSpec: podSpec('orders-uploads'),
      active: false,
    };
    const done = pod(
      'migrate-x',
      ['orders-uploads'],
      owner('Job', 'migrate', 'job-1'),
    );
    done.status = { phase: 'Succeeded' };
    const [volume] = collectNamespaceVolumes(
      'east',
      snapshot({ pods: [done], controllers: [job] }),
      labelled,
    );
    expect(volume.usedBy).toEqual({
      pods: [{ name: 'migrate-x', phase: 'Succeeded' }],
      workloads: [],
      unstoppable: [],
    });
  });

  it('reports a running Job as a workload a transfer cannot stop, and a CronJob through its Job', () => {
    const labelled = none();
    labelled.pvcs.add('orders/orders-uploads');
    const running: ControllerObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'backfill', namespace: ns, uid: 'job-2' },
      podSpec: podSpec('orders-uploads'),
      active: true,
    };
    const cronJob: ControllerObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: ns, uid: 'cj-1' },
      podSpec: podSpec('orders-uploads'),
      replicas: 0,
    };
    const cronRun: ControllerObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-1',
        namespace: ns,
        uid: 'job-3',
        ownerReferences: owner('CronJob', 'nightly', 'cj-1'),
      },
      podSpec: podSpec('orders-uploads'),
      active: true,
    };
    const [volume] = collectNamespaceVolumes(
      'east',
      snapshot({
        pods: [
          pod(
            'backfill-a',
            ['orders-uploads'],
            owner('Job', 'backfill', 'job-2'),
          ),
          pod(
            'nightly-1-b',
            ['orders-uploads'],
            owner('Job', 'nightly-1', 'job-3'),
          ),
        ],
        controllers: [running, cronJob, cronRun],
      }),
      labelled,
    );
    expect(volume.usedBy.pods.map(p => p.name)).toEqual([
      'backfill-a',
      'nightly-1-b',
    ]);
    // stoppable first (a suspended CronJob shows 0 replicas), then what a transfer cannot stop
    expect(volume.usedBy.workloads).toEqual([
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', replicas: 0 },
      { apiVersion: 'batch/v1', kind: 'Job', name: 'backfill' },
    ]);
    expect(volume.usedBy.unstoppable).toEqual([
      {
        kind: 'Job',
        name: 'backfill',
        reason: expect.stringContaining('still running'),
      },
    ]);
  });

  it('names the operator behind a scaled-down StatefulSet, and the transfer that holds a workload', () => {
    const labelled = none();
    labelled.workloads.add('StatefulSet/orders/orders-cache');
    labelled.workloads.add('Deployment/orders/orders-api');
    const operated: ControllerObject = {
      ...statefulSet,
      metadata: {
        ...statefulSet.metadata,
        ownerReferences: [
          {
            apiVersion: 'cache.example.com/v1',
            kind: 'Cache',
            name: 'orders',
            uid: 'cr-1',
            controller: true,
          },
        ],
      },
    };
    const held: ControllerObject = {
      ...deployment,
      replicas: 0,
      metadata: {
        ...deployment.metadata,
        annotations: {
          [QUIESCED_BY]: 'tr-42',
          [QUIESCED_AT]: '2025-03-12T14:05:00Z',
        },
      },
    };
    const volumes = collectNamespaceVolumes(
      'east',
      snapshot({ pods: [], controllers: [held, replicaSet, operated] }),
      labelled,
    );
    expect(volumes.map(v => [v.name, v.usedBy.workloads])).toEqual([
      [
        'data-orders-cache-0',
        [{ apiVersion: 'cache.example.com/v1', kind: 'Cache', name: 'orders' }],
      ],
      [
        'orders-uploads',
        [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'orders-api',
            replicas: 0,
            quiescedBy: 'tr-42',
            quiescedAt: '2025-03-12T14:05:00Z',
          },
        ],
      ],
    ]);
    expect(volumes[0].usedBy.unstoppable).toEqual([
      {
        kind: 'Cache',
        name: 'orders',
        reason: expect.stringContaining(
          'StatefulSet orders-cache is controlled by Cache orders',
        ),
      },
    ]);
  });

  it('says where a moved claim went and which transfer moved it, and nothing for a claim never moved', () => {
    const labelled = none();
    labelled.pvcs.add('orders/orders-uploads');
    labelled.pvcs.add('orders/unrelated');
    const moved = pvc('orders-uploads', {
      metadata: {
        annotations: {
          [TRANSFERRED_TO]: 'west/orders/orders-uploads',
          [TRANSFERRED_BY]: 'tr-7',
        },
      },
    });
    const volumes = collectNamespaceVolumes(
      'east',
      snapshot({ pvcs: [moved, pvc('unrelated')] }),
      labelled,
    );
    expect(volumes[0].transferredTo).toEqual({
      destination: 'west/orders/orders-uploads',
      transferId: 'tr-7',
    });
    expect(volumes[1]).not.toHaveProperty('transferredTo');
  });

  it('applies the namespace opt-out and reports terminating claims', () => {
    const labelled = none();
    labelled.pvcs.add('orders/orders-uploads');
    const terminating = pvc('orders-uploads');
    terminating.metadata!.deletionTimestamp = new Date();
    const [volume] = collectNamespaceVolumes(
      'east',
      snapshot({
        pvcs: [terminating],
        namespaceAnnotations: { 'namespace-transfer.io/transferable': 'false' },
      }),
      labelled,
    );
    expect(volume.phase).toBe('Terminating');
    expect(volume.transferable).toMatchObject({
      transferable: false,
      source: 'namespace-annotation',
    });
  });

  it('returns nothing when nothing belongs to the entity', () => {
    expect(collectNamespaceVolumes('east', snapshot(), none())).toEqual([]);
  });
});
