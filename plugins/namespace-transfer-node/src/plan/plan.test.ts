import type {
  V1Namespace,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';
import type {
  MoverKind,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { planTransfer, parseQuantity, type PlanFacts } from '.';

const sc = (
  name: string,
  annotations: Record<string, string> = {},
): V1StorageClass => ({
  metadata: { name, annotations },
  provisioner: 'kube-sim.io/hostpath',
});
const ns = (
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): V1Namespace => ({
  metadata: { name, labels, annotations },
});
const pvc = (
  patch: Partial<V1PersistentVolumeClaim['metadata']> = {},
): V1PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'shop', ...patch },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'fast',
    volumeName: 'pv-1',
    resources: { requests: { storage: '10Gi' } },
  },
  status: { phase: 'Bound', capacity: { storage: '10Gi' } },
});

const spec: TransferSpec = {
  id: 't1',
  source: { cluster: 'east', namespace: 'shop', name: 'data' },
  destination: { cluster: 'west', namespace: 'shop2', name: 'data' },
  mode: 'copy',
  intent: 'move',
};

function facts(patch: Partial<PlanFacts> = {}): PlanFacts {
  return {
    spec,
    source: {
      pvc: pvc(),
      pv: { metadata: { name: 'pv-1' }, spec: { storageClassName: 'fast' } },
      namespace: ns('shop'),
      usedBytes: 2 * 2 ** 30,
      storageClasses: [sc('fast')],
    },
    sourcePods: [{ metadata: { name: 'web-0' } }],
    sourceWorkloads: [
      {
        ref: {
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'web',
          replicas: 1,
        },
        podSpec: {
          containers: [{ name: 'c' }],
          securityContext: { runAsUser: 1500, fsGroup: 1500 },
        },
      },
    ],
    destination: {
      namespace: ns('shop2', {
        'pod-security.kubernetes.io/enforce': 'restricted',
      }),
      storageClasses: [sc('fast'), sc('slow')],
    },
    discovery: {
      sameCluster: false,
      routeApiServed: true,
      ingressConfigured: false,
    },
    ...patch,
  };
}

describe('planTransfer', () => {
  it('plans a cross-cluster copy over a route with rsync and stunnel', () => {
    const plan = planTransfer(facts());
    expect(plan.refusals).toEqual([]);
    expect(plan).toMatchObject({
      allowed: true,
      mode: 'copy',
      mover: 'rsync',
      transport: 'stunnel',
      endpoint: 'route',
      destination: {
        storageClassName: 'fast',
        sizeBytes: 10 * 2 ** 30,
        exists: false,
      },
      source: {
        capacityBytes: 10 * 2 ** 30,
        usedBytes: 2 * 2 ** 30,
        accessModes: ['ReadWriteOnce'],
      },
      identity: { runAsUser: 1500, source: 'source-workload' },
      podSecurity: { destination: 'restricted' },
      workloads: [{ kind: 'StatefulSet', name: 'web' }],
    });
    expect(plan.modeReason).toBe(
      'the data is copied to a new volume, as requested',
    );
    // 2 GiB at 100 MiB/s plus overhead; staged, so the downtime is a fraction of it
    expect(plan.estimatedSeconds).toBe(41);
    expect(plan.estimatedDowntimeSeconds!).toBeLessThan(
      plan.estimatedSeconds! / 5,
    );
  });

  it('refuses, naming each problem, and creates nothing to refuse', () => {
    const plan = planTransfer(
      facts({
        spec: {
          ...spec,
          destination: {
            ...spec.destination,
            storageClassName: 'gold',
            size: '1Gi',
          },
          options: { quiesce: false },
        },
        source: {
          ...facts().source,
          pvc: pvc({
            annotations: { 'namespace-transfer.io/transferable': 'false' },
          }),
        },
        destination: { ...facts().destination, existingPvc: pvc() },
      }),
    );
    expect(plan.allowed).toBe(false);
    expect(plan.refusals.map(r => r.code).sort()).toEqual(
      [
        'DestinationExists',
        'DestinationTooSmall',
        'InUseQuiesceDisallowed',
        'OptedOut',
        'StorageClassUnknown',
      ].sort(),
    );
    expect(
      plan.refusals.find(r => r.code === 'StorageClassUnknown')!.message,
    ).toContain('"gold"');
    expect(
      plan.refusals.find(r => r.code === 'InUseQuiesceDisallowed')!.message,
    ).toContain('pod web-0');
  });

  it("refuses a source whose workload another transfer holds scaled down, but not the transfer's own", () => {
    const held = (quiescedBy: string) =>
      planTransfer(
        facts({
          sourcePods: [],
          sourceWorkloads: facts().sourceWorkloads.map(w => ({
            ...w,
            ref: { ...w.ref, replicas: 0 },
            quiescedBy,
          })),
        }),
      );
    expect(held('move-1').refusals).toEqual([
      {
        code: 'SourceInTransfer',
        message: expect.stringMatching(
          /^StatefulSet shop\/web is held scaled down by transfer move-1 .*namespace-transfer.io\/quiesced-by/,
        ),
      },
    ]);
    // a resumed run of the transfer that stopped it plans again without refusing itself
    expect(held(spec.id).refusals).toEqual([]);
  });

  it('refuses a missing source, a missing destination namespace and a namespace opt-out', () => {
    const plan = planTransfer(
      facts({
        source: {
          ...facts().source,
          pvc: undefined,
          namespace: ns(
            'shop',
            {},
            { 'namespace-transfer.io/transferable': 'false' },
          ),
        },
        destination: { ...facts().destination, namespace: undefined },
      }),
    );
    expect(plan.refusals.map(r => r.code).sort()).toEqual([
      'DestinationNamespaceMissing',
      'OptedOut',
      'SourceMissing',
    ]);
    expect(plan.refusals[0].message).toContain('east/shop/data');
  });

  it('auto chooses rebind within a cluster when the class allows it, else copy and says why', () => {
    const same = {
      ...spec,
      mode: 'auto' as const,
      destination: { cluster: 'east', namespace: 'shop2', name: 'data' },
    };
    const allow = sc('fast', {
      'namespace-transfer.io/allow-transfer': 'true',
    });
    const rebind = planTransfer(
      facts({
        spec: same,
        source: { ...facts().source, storageClasses: [allow] },
      }),
    );
    expect(rebind).toMatchObject({ mode: 'rebind', allowed: true });
    expect(rebind.modeReason).toBe(
      'the volume itself is handed to the new claim, without copying data (a few API calls, whatever its size): same cluster and storage class, and the class allows it',
    );
    expect(rebind.otherMode).toEqual({
      mode: 'copy',
      whyNot: 'not needed: the volume can move as it is',
    });
    const copy = planTransfer(facts({ spec: same }));
    expect(copy).toMatchObject({
      mode: 'copy',
      endpoint: 'clusterip',
      allowed: true,
    });
    // what happens and why in one sentence; why not rebind apart, not mixed into it
    expect(copy.modeReason).toBe(
      'the data is copied to a new volume, because storage class "fast" is not annotated namespace-transfer.io/allow-transfer and the default forbids it',
    );
    expect(copy.otherMode).toEqual({
      mode: 'rebind',
      whyNot: expect.stringMatching(
        /not annotated namespace-transfer.io\/allow-transfer/,
      ),
    });
    const explicit = planTransfer(facts({ spec: { ...spec, mode: 'rebind' } }));
    expect(explicit.refusals.map(r => r.code)).toEqual(['RebindImpossible']);
  });

  it('uses the config default for a storage class without the allow-transfer annotation, like runRebind', () => {
    const same = {
      ...spec,
      mode: 'auto' as const,
      destination: { cluster: 'east', namespace: 'shop2', name: 'data' },
    };
    const allowByDefault = planTransfer(
      facts({ spec: same, allowTransferDefault: true }),
    );
    expect(allowByDefault).toMatchObject({ mode: 'rebind', allowed: true });
    // an explicit "false" wins over the default; so does anything but exactly "true"
    for (const flag of ['false', 'yes']) {
      const denied = sc('fast', {
        'namespace-transfer.io/allow-transfer': flag,
      });
      const p = planTransfer(
        facts({
          spec: same,
          allowTransferDefault: true,
          source: { ...facts().source, storageClasses: [denied] },
        }),
      );
      expect(p.mode).toBe('copy');
      expect(p.otherMode?.whyNot).toContain(
        `annotated namespace-transfer.io/allow-transfer: "${flag}"`,
      );
    }
    const byDefaultOff = planTransfer(
      facts({ spec: same, allowTransferDefault: false }),
    );
    expect(byDefaultOff.otherMode?.whyNot).toMatch(
      /not annotated namespace-transfer.io\/allow-transfer and the default forbids it/,
    );
  });

  it('reports finished pods that still reference the claim: they keep it from going, so no rebind', () => {
    const same = {
      ...spec,
      mode: 'auto' as const,
      destination: { cluster: 'east', namespace: 'shop2', name: 'data' },
    };
    const finishedSourcePods = [
      { metadata: { name: 'backup-1' }, status: { phase: 'Succeeded' } },
    ];
    const auto = planTransfer(
      facts({ spec: same, allowTransferDefault: true, finishedSourcePods }),
    );
    expect(auto).toMatchObject({ mode: 'copy', allowed: true });
    expect(auto.otherMode?.whyNot).toContain(
      'finished pod shop/backup-1 (Succeeded) still names the claim, and would keep it from being deleted: delete it first (kubectl -n shop delete pod backup-1)',
    );
    const explicit = planTransfer(
      facts({
        spec: { ...same, mode: 'rebind' },
        allowTransferDefault: true,
        finishedSourcePods,
      }),
    );
    expect(explicit.refusals).toEqual([
      expect.objectContaining({
        code: 'RebindImpossible',
        message: expect.stringContaining(
          'finished pod shop/backup-1 (Succeeded) still names the claim',
        ),
      }),
    ]);
    // a copy does not care: the finished pod reads nothing
    expect(planTransfer(facts({ finishedSourcePods })).allowed).toBe(true);
  });

  it('pairs rclone with the null transport and refuses unencrypted or unsupported combinations', () => {
    expect(
      planTransfer(facts({ spec: { ...spec, options: { mover: 'rclone' } } })),
    ).toMatchObject({ transport: 'null', allowed: true });
    expect(
      planTransfer(
        facts({ spec: { ...spec, options: { transport: 'null' } } }),
      ).refusals.map(r => r.code),
    ).toEqual(['InsecureTransport']);
    expect(
      planTransfer(
        // a mover this engine does not have (from a caller that skipped the schema)
        facts({
          spec: { ...spec, options: { mover: 'restic' as MoverKind } },
        }),
      ).refusals.map(r => r.code),
    ).toEqual(['MoverNotSupported']);
    expect(
      planTransfer(
        facts({ spec: { ...spec, options: { endpoint: 'clusterip' } } }),
      ).refusals.map(r => r.code),
    ).toEqual(['NoEndpoint']);
  });

  it('refuses an exposure that can never get an address, naming the cluster and the class', () => {
    const noRoutes = {
      sameCluster: false,
      routeApiServed: false,
      ingressConfigured: true,
      loadBalancerAvailable: false,
    };
    const nodeport = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'nodeport' } },
        discovery: { ...noRoutes, nodePortReachable: false },
      }),
    );
    expect(nodeport.refusals).toEqual([
      {
        code: 'NoEndpoint',
        message:
          'nodeport requested, but no Ready node in cluster west has an address',
      },
    ]);
    const ingress = planTransfer(
      facts({
        spec: {
          ...spec,
          options: { endpoint: 'ingress', ingressClassName: 'missing' },
        },
        discovery: {
          ...noRoutes,
          ingressClasses: [
            {
              metadata: { name: 'nginx' },
              spec: { controller: 'k8s.io/ingress-nginx' },
            },
          ],
        },
      }),
    );
    expect(ingress.refusals).toEqual([
      {
        code: 'NoEndpoint',
        message:
          'ingress requested, but cluster west has no IngressClass "missing" (its classes are nginx)',
      },
    ]);
  });

  it('refuses an explicit load balancer that a long-pending Service shows missing; auto takes the next exposure and says why', () => {
    const pending =
      'Service shop/web has waited for a load balancer address since 2024-05-01T09:30:00.000Z';
    const bare = {
      sameCluster: false,
      routeApiServed: false,
      ingressConfigured: false,
      loadBalancerAvailable: false,
      loadBalancerEvidence: pending,
    };
    const explicit = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'loadbalancer' } },
        discovery: bare,
      }),
    );
    expect(explicit).toMatchObject({ allowed: false, endpoint: undefined });
    expect(explicit.refusals).toEqual([
      {
        code: 'NoEndpoint',
        message: `loadbalancer requested, but cluster west has no load balancer (${pending})`,
      },
    ]);
    const auto = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'auto' } },
        discovery: bare,
      }),
    );
    expect(auto).toMatchObject({ allowed: true, endpoint: 'nodeport' });
    expect(auto.endpointReason).toContain(
      `loadbalancer skipped: cluster west has no load balancer (${pending})`,
    );
  });

  it('unreadable Services warn; the load balancer is then tried as before', () => {
    const plan = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'loadbalancer' } },
        discovery: {
          sameCluster: false,
          routeApiServed: false,
          ingressConfigured: false,
        },
        unreadable: ['services'],
      }),
    );
    expect(plan).toMatchObject({ allowed: true, endpoint: 'loadbalancer' });
    expect(plan.warnings).toContain(
      'not allowed to read services: the checks that need it were skipped',
    );
  });

  it('unreadable nodes and ingress classes warn instead of refusing; a foreign controller warns', () => {
    const plan = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'nodeport' } },
        discovery: {
          sameCluster: false,
          routeApiServed: false,
          ingressConfigured: false,
        },
        unreadable: ['nodes', 'ingressClasses'],
      }),
    );
    expect(plan).toMatchObject({ allowed: true, endpoint: 'nodeport' });
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        'not allowed to read nodes: the checks that need it were skipped',
        'not allowed to read ingressClasses: the checks that need it were skipped',
      ]),
    );
    const traefik = planTransfer(
      facts({
        spec: { ...spec, options: { endpoint: 'ingress' } },
        discovery: {
          sameCluster: false,
          routeApiServed: false,
          ingressConfigured: true,
          ingressClasses: [
            {
              metadata: {
                name: 'traefik',
                annotations: {
                  'ingressclass.kubernetes.io/is-default-class': 'true',
                },
              },
              spec: { controller: 'traefik.io/ingress-controller' },
            },
          ],
        },
      }),
    );
    expect(traefik).toMatchObject({ allowed: true, endpoint: 'ingress' });
    expect(traefik.warnings.join('\n')).toMatch(
      /IngressClass "traefik" in cluster west belongs to controller traefik.io\/ingress-controller/,
    );
  });

  it('takes the identity from the destination namespace range on OpenShift-flavoured clusters', () => {
    const plan = planTransfer(
      facts({
        destination: {
          ...facts().destination,
          namespace: ns(
            'shop2',
            {},
            { 'openshift.io/sa.scc.uid-range': '1000700000/10000' },
          ),
        },
      }),
    );
    expect(plan.identity).toMatchObject({
      runAsUser: 1000700000,
      source: 'namespace-uid-range',
      groupWritable: true,
    });
  });
});

describe('parseQuantity', () => {
  it('reads binary and decimal suffixes and exponents', () => {
    expect(parseQuantity('10Gi')).toBe(10 * 2 ** 30);
    expect(parseQuantity('500M')).toBe(5e8);
    expect(parseQuantity('1.5Ki')).toBe(1536);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('refuses to copy a raw block volume, naming why', () => {
    const f = facts();
    const block = planTransfer({
      ...f,
      source: {
        ...f.source,
        pvc: {
          ...f.source.pvc,
          spec: { ...f.source.pvc?.spec, volumeMode: 'Block' },
        },
      },
    });
    expect(block.refusals).toContainEqual({
      code: 'MoverNotSupported',
      message: expect.stringContaining(
        'is a raw block volume (volumeMode: Block)',
      ),
    });
  });
});
