import type {
  TransferEventKind,
  TransferLogEvent,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** A copy of db-data from east/payments to west/orders as the API lists it. */
export function transferSummary(
  overrides: Partial<TransferSummary> = {},
): TransferSummary {
  return {
    id: 'tr-1',
    source: {
      cluster: 'east',
      namespace: 'payments',
      claim: 'db-data',
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'west',
      namespace: 'orders',
      claim: 'db-data',
      entityRef: 'component:default/orders-db',
    },
    requestedMode: 'copy',
    chosenMode: 'copy',
    intent: 'clone',
    options: {} as TransferSummary['options'],
    plan: {} as TransferSummary['plan'],
    requester: 'user:default/alice',
    state: 'running',
    phase: 'Syncing',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: ['user:default/bob'],
    progress: { bytesDone: 0, bytesTotal: 100 * 1024 * 1024 },
    attempt: 1,
    engineTransferId: 'nt-abc123',
    createdAt: '2026-12-05T09:55:00.000Z',
    updatedAt: '2026-12-05T10:00:10.000Z',
    url: 'http://localhost:3000/namespace-transfer/transfers/tr-1',
    allowedActions: [],
    ...overrides,
  };
}

let nextId = 1;

/** An event of tr-1, `second` seconds after 10:00 UTC on 2026-12-05. */
export function logEvent(
  second: number,
  kind: TransferEventKind,
  payload: Record<string, unknown>,
): TransferLogEvent {
  return {
    id: String(nextId++),
    transferId: 'tr-1',
    at: new Date(
      Date.parse('2026-12-05T10:00:00.000Z') + second * 1000,
    ).toISOString(),
    kind,
    payload,
  };
}
