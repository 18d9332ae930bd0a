import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { NewTransfer } from '../types';

/** A plan as the engine returns it for a copy of a claim used by one Deployment. */
export function realisticPlan(claim = 'payments-db-data'): Plan {
  return {
    transferId: 'planned',
    source: {
      cluster: 'east',
      namespace: 'payments',
      name: claim,
      capacityBytes: 1073741824,
      usedBytes: 52428800,
      storageClassName: 'standard',
      accessModes: ['ReadWriteOnce'],
      volumeName: `pvc-${claim}`,
    },
    destination: {
      cluster: 'west',
      namespace: 'payments-next',
      name: claim,
      storageClassName: 'standard',
      sizeBytes: 1073741824,
      exists: false,
    },
    mode: 'copy',
    modeReason: 'the clusters differ, so the bytes are copied',
    otherMode: {
      mode: 'rebind',
      whyNot: 'rebind needs both claims on one cluster',
    },
    intent: 'move',
    mover: 'rsync',
    transport: 'stunnel',
    endpoint: 'nodeport',
    endpointReason: 'the clusters reach each other through node ports',
    identity: {
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      source: 'destination-workload',
      groupWritable: false,
    },
    workloads: [
      {
        kind: 'Deployment',
        namespace: 'payments',
        name: 'payments-db',
        replicas: 1,
      },
    ],
    usedBy: { pods: ['payments-db-5d9c7-abcde'], finishedPods: [] },
    podSecurity: { source: 'restricted', destination: 'restricted' },
    estimatedSeconds: 12,
    estimatedDowntimeSeconds: 3,
    warnings: [],
    refusals: [],
    allowed: true,
  };
}

export function newTransfer(overrides: Partial<NewTransfer> = {}): NewTransfer {
  const claim = overrides.source?.claim ?? 'payments-db-data';
  return {
    source: {
      cluster: 'east',
      namespace: 'payments',
      claim,
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'west',
      namespace: 'payments-next',
      claim,
      storageClass: 'standard',
      size: '1Gi',
      entityRef: 'component:default/payments-next',
    },
    requestedMode: 'auto',
    intent: 'move',
    options: { verify: 'full', stage: true },
    plan: realisticPlan(claim),
    requester: 'user:default/alice',
    ...overrides,
  };
}

/** A clock the tests move by hand (lease and request expiry without waiting). */
export class ManualClock {
  constructor(private current = new Date('2026-12-01T10:00:00.000Z')) {}
  readonly now = () => new Date(this.current.getTime());
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
