import { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { collectNamespaceVolumes } from './collectVolumes';
import { LabelledKeys, NamespaceSnapshot, WorkloadObject } from './snapshot';

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

const deployment: WorkloadObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders-api', namespace: ns, uid: 'dep-1' },
  podSpec: podSpec('orders-uploads'),
  replicas: 1,
};
const replicaSet: WorkloadObject = {
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
const statefulSet: WorkloadObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'orders-cache', namespace: ns, uid: 'sts-1' },
  podSpec: { containers: [{ name: 'c' }], volumes: [] },
  replicas: 0,
  claimTemplates: ['data'],
};

const snapshot = (
  over: Partial<NamespaceSnapshot> = {},
): NamespaceSnapshot => ({
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
  workloads: [deployment, replicaSet, statefulSet],
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
        workloads: [],
      }),
      labelled,
    );
    expect(volumes[0].usedBy.workloads).toEqual([
      { apiVersion: 'acid.zalan.do/v1', kind: 'Postgresql', name: 'db' },
    ]);
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
