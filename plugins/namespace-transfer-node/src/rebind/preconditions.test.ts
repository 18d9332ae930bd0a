import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import type { PlanFacts } from '../plan/facts';
import { HELD_BY } from './annotations';
import { checkRebindPreconditions } from './preconditions';

const pvc = (
  extra: Partial<V1PersistentVolumeClaim['metadata']> = {},
): V1PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'shop', uid: 'u-1', ...extra },
  spec: {
    volumeName: 'pv-1',
    storageClassName: 'movable',
    accessModes: ['ReadWriteOnce'],
  },
  status: { phase: 'Bound' },
});
const pv = (
  claimRef: Record<string, string> = {
    namespace: 'shop',
    name: 'data',
    uid: 'u-1',
  },
  annotations?: Record<string, string>,
): V1PersistentVolume => ({
  metadata: { name: 'pv-1', annotations },
  spec: { claimRef, storageClassName: 'movable' },
});

function facts(
  over: {
    pvc?: V1PersistentVolumeClaim;
    pv?: V1PersistentVolume;
    pods?: V1Pod[];
    classFlag?: string;
    nsOptOut?: boolean;
    destNs?: boolean;
    destPvc?: boolean;
    cluster?: string;
    intent?: 'move' | 'clone';
    quiesce?: boolean;
    replicas?: number;
  } = {},
): PlanFacts {
  return {
    spec: {
      id: 't1',
      source: { cluster: 'c', namespace: 'shop', name: 'data' },
      destination: {
        cluster: over.cluster ?? 'c',
        namespace: 'shop2',
        name: 'data',
      },
      mode: 'rebind',
      intent: over.intent ?? 'move',
      options: { quiesce: over.quiesce },
    },
    source: {
      pvc: 'pvc' in over ? over.pvc : pvc(),
      pv: 'pv' in over ? over.pv : pv(),
      namespace: {
        metadata: {
          name: 'shop',
          annotations: over.nsOptOut
            ? { 'namespace-transfer.io/transferable': 'false' }
            : {},
        },
      },
      storageClasses: [
        {
          provisioner: 'x',
          metadata: {
            name: 'movable',
            annotations:
              over.classFlag === undefined
                ? {}
                : { 'namespace-transfer.io/allow-transfer': over.classFlag },
          },
        },
      ],
    },
    sourcePods: over.pods ?? [],
    sourceWorkloads:
      over.replicas !== undefined
        ? [
            {
              ref: {
                kind: 'Deployment',
                namespace: 'shop',
                name: 'web',
                replicas: over.replicas,
              },
            },
          ]
        : [],
    destination: {
      namespace:
        over.destNs === false ? undefined : { metadata: { name: 'shop2' } },
      existingPvc: over.destPvc ? pvc({ namespace: 'shop2' }) : undefined,
      storageClasses: [],
    },
    discovery: {
      sameCluster: true,
      routeApiServed: false,
      ingressConfigured: false,
    },
  };
}

const names = (f: PlanFacts, allowTransferDefault?: boolean) =>
  checkRebindPreconditions(f, { allowTransferDefault }).map(
    x => x.precondition,
  );

describe('checkRebindPreconditions', () => {
  it('passes a bound, allowed, unused claim into a free name', () => {
    expect(names(facts({ classFlag: 'true' }))).toEqual([]);
    expect(names(facts({ replicas: 2, classFlag: 'true' }))).toEqual([]);
  });

  it('reports every failed precondition at once, each by name', () => {
    const all = checkRebindPreconditions(
      facts({
        classFlag: 'false',
        nsOptOut: true,
        destNs: false,
        destPvc: true,
        cluster: 'other',
        intent: 'clone',
        pv: pv(undefined, { [HELD_BY]: 'someone' }),
      }),
    );
    expect(all.map(f => f.precondition).sort()).toEqual([
      'DestinationNameFree',
      'DestinationNamespaceExists',
      'IntentIsMove',
      'NotOptedOut',
      'SameCluster',
      'StorageClassAllows',
      'VolumeNotHeld',
    ]);
    expect(
      all.find(f => f.precondition === 'VolumeNotHeld')!.message,
    ).toContain('held by transfer someone');
    for (const f of all) expect(f.message.length).toBeGreaterThan(10);
  });

  it('needs the claim Bound and its volume pointing back at it (name, namespace and uid)', () => {
    expect(names(facts({ classFlag: 'true', pvc: undefined }))).toEqual([
      'SourceBound',
    ]);
    expect(
      names(
        facts({
          classFlag: 'true',
          pvc: { ...pvc(), status: { phase: 'Pending' } },
        }),
      ),
    ).toEqual(['SourceBound']);
    expect(
      names(
        facts({
          classFlag: 'true',
          pv: pv({ namespace: 'shop', name: 'data', uid: 'old' }),
        }),
      ),
    ).toEqual(['ClaimRefPointsBack']);
    expect(
      names(
        facts({
          classFlag: 'true',
          pv: pv({ namespace: 'x', name: 'data', uid: 'u-1' }),
        }),
      ),
    ).toEqual(['ClaimRefPointsBack']);
  });

  it('opt-out on the claim or its namespace', () => {
    expect(
      names(
        facts({
          classFlag: 'true',
          pvc: pvc({
            annotations: { 'namespace-transfer.io/transferable': 'false' },
          }),
        }),
      ),
    ).toEqual(['NotOptedOut']);
    expect(names(facts({ classFlag: 'true', nsOptOut: true }))).toEqual([
      'NotOptedOut',
    ]);
    expect(
      names(
        facts({
          classFlag: 'true',
          pvc: pvc({
            annotations: { 'namespace-transfer.io/transferable': 'true' },
          }),
        }),
      ),
    ).toEqual([]);
  });

  it('the storage class annotation decides, and the configured default when it is absent', () => {
    expect(names(facts({ classFlag: 'false' }), true)).toEqual([
      'StorageClassAllows',
    ]);
    expect(names(facts({}))).toEqual(['StorageClassAllows']);
    expect(names(facts({}), true)).toEqual([]);
  });

  it('a user the engine cannot stop is refused; a workload can be stopped, unless quiescing is off', () => {
    const bare = {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'debug',
      pods: ['debug'],
      reason: 'a pod without a controller',
    };
    const owned: V1Pod = {
      metadata: {
        name: 'web-1',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-x',
            uid: 'r',
          },
        ],
      },
    };
    const refused = checkRebindPreconditions({
      ...facts({ classFlag: 'true' }),
      sourceUnstoppable: [bare],
    });
    expect(refused).toEqual([
      expect.objectContaining({
        precondition: 'NotInUse',
        code: 'InUseUnstoppable',
        message: expect.stringContaining('Pod debug uses shop/data'),
      }),
    ]);
    expect(
      names(facts({ classFlag: 'true', pods: [owned], replicas: 1 })),
    ).toEqual([]);
    expect(
      names(
        facts({
          classFlag: 'true',
          pods: [owned],
          replicas: 1,
          quiesce: false,
        }),
      ),
    ).toEqual(['NotInUse']);
    expect(
      names(facts({ classFlag: 'true', replicas: 1, quiesce: false })),
    ).toEqual(['NotInUse']);
  });

  it('finished pods that name the claim are refused before anything changes, saying what to do', () => {
    const done: V1Pod = {
      metadata: { name: 'backup-1' },
      status: { phase: 'Succeeded' },
    };
    expect(
      checkRebindPreconditions({
        ...facts({ classFlag: 'true' }),
        finishedSourcePods: [done],
      }),
    ).toEqual([
      expect.objectContaining({
        precondition: 'NotInUse',
        message:
          'finished pod shop/backup-1 (Succeeded) still names the claim, and would keep it from being deleted: delete it first (kubectl -n shop delete pod backup-1)',
      }),
    ]);
  });

  describe('adopting the destination claim (DestinationClaimFits)', () => {
    const volume = (over: Partial<V1PersistentVolume['spec']> = {}) => ({
      ...pv(),
      spec: {
        ...pv().spec,
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
        ...over,
      },
    });
    const mine = (
      spec: Partial<NonNullable<V1PersistentVolumeClaim['spec']>> = {},
      status: V1PersistentVolumeClaim['status'] = { phase: 'Pending' },
    ): V1PersistentVolumeClaim => ({
      metadata: { name: 'x', namespace: 'team-b', uid: 'u-2' },
      spec: {
        storageClassName: 'movable',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        ...spec,
      },
      status,
    });
    // a quota the claim, already admitted, would exceed again: not checked when adopting
    const quotaFull: PlanFacts['quota'] = {
      source: { quotas: [], limitRanges: [] },
      destination: {
        quotas: [
          {
            metadata: { name: 'q' },
            spec: { hard: { persistentvolumeclaims: '1' } },
            status: {
              hard: { persistentvolumeclaims: '1' },
              used: { persistentvolumeclaims: '1' },
            },
          },
        ],
        limitRanges: [],
      },
    };
    const adopting = (
      claim: V1PersistentVolumeClaim | undefined,
      v = volume(),
    ) => {
      const f = facts({ classFlag: 'true', pv: v });
      f.spec.destination = {
        ...f.spec.destination,
        namespace: 'team-b',
        name: 'x',
      };
      f.destination.existingPvc = claim;
      f.quota = quotaFull;
      return checkRebindPreconditions(f, { adoptDestination: true });
    };
    const messages = (
      claim: V1PersistentVolumeClaim | undefined,
      v = volume(),
    ) => {
      const out = adopting(claim, v);
      for (const f of out) expect(f.precondition).toBe('DestinationClaimFits');
      return out.map(f => f.message);
    };

    it('passes an unbound claim that fits, with neither DestinationNameFree nor the quota', () => {
      expect(adopting(mine())).toEqual([]);
      // smaller than the volume, a subset of its modes, the same (default) volume mode
      expect(
        adopting(
          mine({
            resources: { requests: { storage: '5Gi' } },
            accessModes: ['ReadOnlyMany'],
            volumeMode: 'Filesystem',
          }),
        ),
      ).toEqual([]);
    });

    it('the same facts without adopting: the claim takes the name and the quota is full', () => {
      const f = facts({ classFlag: 'true' });
      f.destination.existingPvc = mine();
      f.quota = quotaFull;
      expect(checkRebindPreconditions(f).map(x => x.precondition)).toEqual([
        'DestinationNameFree',
        'QuotaAllows',
      ]);
    });

    it('refuses each misfit with a clear message', () => {
      expect(messages(undefined)).toEqual([
        'claim team-b/x does not exist: the claim to bind the volume to must be made first',
      ]);
      expect(
        messages(mine({ resources: { requests: { storage: '20Gi' } } })),
      ).toEqual(['claim team-b/x asks for 20Gi, the volume holds 10Gi']);
      expect(
        adopting(mine({ resources: { requests: { storage: '20Gi' } } }))[0]
          .code,
      ).toBe('DestinationTooSmall');
      expect(messages(mine({ storageClassName: 'fast' }))).toEqual([
        'claim team-b/x asks for storage class "fast", the volume is of "movable"',
      ]);
      expect(messages(mine({ accessModes: ['ReadWriteMany'] }))).toEqual([
        'claim team-b/x asks for access modes ReadWriteMany the volume does not offer (ReadWriteOnce, ReadOnlyMany)',
      ]);
      expect(messages(mine({ volumeMode: 'Block' }))).toEqual([
        'claim team-b/x asks for volume mode Block, the volume is Filesystem',
      ]);
      expect(
        messages(mine({ selector: { matchLabels: { tier: 'gold' } } })),
      ).toEqual([
        'claim team-b/x has a selector: a claim given a volume by name must not select volumes',
      ]);
    });

    it('refuses a claim that is bound already, or names another volume', () => {
      expect(
        messages(mine({ volumeName: 'pv-9' }, { phase: 'Bound' })),
      ).toEqual([
        'claim team-b/x names volume pv-9 (Bound): only a claim without a volume can take this one',
      ]);
      expect(messages(mine({ volumeName: 'pv-9' }))).toEqual([
        'claim team-b/x names volume pv-9 (Pending): only a claim without a volume can take this one',
      ]);
      expect(messages(mine({}, { phase: 'Lost' }))).toEqual([
        'claim team-b/x is Lost, not Pending without a volume',
      ]);
      expect(messages(mine({}, { phase: 'Bound' }))).toEqual([
        'claim team-b/x is Bound, not Pending without a volume',
      ]);
    });

    it('takes a claim that names this volume, let go of by a give-back, whatever its phase says', () => {
      expect(adopting(mine({ volumeName: 'pv-1' }))).toEqual([]);
      expect(
        adopting(mine({ volumeName: 'pv-1' }, { phase: 'Bound' })),
      ).toEqual([]);
      expect(adopting(mine({ volumeName: 'pv-1' }, { phase: 'Lost' }))).toEqual(
        [],
      );
    });

    it('a class left unset is no class, which a volume of a class does not serve', () => {
      expect(messages(mine({ storageClassName: undefined }))).toEqual([
        'claim team-b/x asks for storage class "", the volume is of "movable"',
      ]);
    });

    it('reports every misfit at once', () => {
      expect(
        messages(
          mine({
            storageClassName: 'fast',
            resources: { requests: { storage: '11Gi' } },
            volumeMode: 'Block',
          }),
        ),
      ).toHaveLength(3);
    });
  });
});
