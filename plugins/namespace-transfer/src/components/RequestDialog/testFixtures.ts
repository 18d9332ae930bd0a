import {
  Plan,
  TransferCallerProfile,
  TransferDestinationsResponse,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** A copy of payments-db-data from east into west that the engine allows. */
export const allowedPlan: Plan = {
  transferId: 'plan-1',
  source: {
    cluster: 'east',
    namespace: 'payments',
    name: 'payments-db-data',
    capacityBytes: 2 * 1024 ** 3,
    usedBytes: 512 * 1024 ** 2,
    storageClassName: 'standard',
    accessModes: ['ReadWriteOnce'],
  },
  destination: {
    cluster: 'west',
    namespace: 'orders',
    name: 'payments-db-data',
    storageClassName: 'fast',
    exists: false,
  },
  mode: 'copy',
  modeReason: 'the destination is on another cluster, so the data is copied',
  otherMode: { mode: 'rebind', whyNot: 'rebind needs the same cluster' },
  intent: 'move',
  mover: 'rsync',
  transport: 'stunnel',
  endpoint: 'loadbalancer',
  endpointReason: 'west gives LoadBalancer addresses',
  identity: {
    runAsUser: 1000,
    runAsGroup: 3000,
    fsGroup: 2000,
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
  podSecurity: {},
  estimatedSeconds: 150,
  estimatedDowntimeSeconds: 20,
  warnings: ['the destination namespace enforces the restricted pod security'],
  refusals: [],
  allowed: true,
};

/** The same, refused: the destination claim exists and the quota is too small. */
export const refusedPlan: Plan = {
  ...allowedPlan,
  refusals: [
    {
      code: 'DestinationExists',
      message: 'west/orders/payments-db-data exists already',
    },
    {
      code: 'QuotaExceeded',
      message: 'quota compute-resources of orders allows 1Gi more storage',
    },
  ],
  allowed: false,
};

export const destinations: TransferDestinationsResponse = {
  destinations: [
    {
      entityRef: 'component:default/payments-db',
      cluster: 'east',
      namespace: 'payments',
      labels: { 'backstage.io/kubernetes-id': 'payments-db' },
    },
    {
      entityRef: 'component:default/orders-api',
      cluster: 'west',
      namespace: 'orders',
      labels: { 'backstage.io/kubernetes-id': 'orders-api' },
    },
  ],
  clusters: [
    {
      cluster: 'east',
      storageClasses: [{ name: 'standard', isDefault: true }],
    },
    {
      cluster: 'west',
      storageClasses: [
        { name: 'standard', isDefault: true },
        { name: 'fast', isDefault: false },
      ],
    },
  ],
};

export const profile: TransferCallerProfile = {
  userEntityRef: 'user:default/alice',
  isAdmin: false,
  canAudit: false,
  allowSelfApproval: false,
  requiredApprovals: 1,
  cutoverWindows: [],
};

/** A pending transfer as the API answers a request for `claim`. */
export function pendingTransfer(id: string, claim: string): TransferSummary {
  return {
    id,
    requestedVia: 'portal',
    source: {
      cluster: 'east',
      namespace: 'payments',
      claim,
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'west',
      namespace: 'orders',
      claim,
      entityRef: 'component:default/orders-api',
    },
    requestedMode: 'auto',
    intent: 'move',
    options: {},
    plan: allowedPlan,
    requester: 'user:default/alice',
    state: 'pending-approval',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: [],
    progress: {},
    attempt: 1,
    engineTransferId: `e-${id}`,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    url: `http://localhost:3000/namespace-transfer/transfers/${id}`,
    allowedActions: ['cancel'],
  };
}
