/*
 * Test data as the API sends it, for the plugin's component and hook tests (not exported by the package).
 */
import { ResponseError } from '@backstage/errors';
import {
  TransferLogEvent,
  TransferSignal,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** payments' `data` claim copied from east to west, pending approval; override what a test is about */
export function sampleTransfer(
  overrides: Partial<TransferSummary> & { id: string },
): TransferSummary {
  const { id } = overrides;
  return {
    requestedVia: 'portal',
    source: {
      cluster: 'east',
      namespace: 'payments',
      claim: 'data',
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'west',
      namespace: 'orders',
      claim: 'data-copy',
      storageClass: 'fast',
      entityRef: 'component:default/orders-db',
    },
    requestedMode: 'auto',
    chosenMode: 'copy',
    intent: 'clone',
    options: {},
    plan: {
      transferId: id,
      source: {
        cluster: 'east',
        namespace: 'payments',
        name: 'data',
        accessModes: ['ReadWriteOnce'],
        usedBytes: 2 * 1024 ** 3,
      },
      destination: {
        cluster: 'west',
        namespace: 'orders',
        name: 'data-copy',
        exists: false,
      },
      mode: 'copy',
      modeReason: 'the claims are on different clusters, so the data is copied',
      intent: 'clone',
      mover: 'rsync',
      transport: 'stunnel',
      workloads: [
        { kind: 'Deployment', namespace: 'payments', name: 'api', replicas: 2 },
      ],
      podSecurity: {},
      estimatedSeconds: 300,
      estimatedDowntimeSeconds: 20,
      warnings: [],
      refusals: [],
      allowed: true,
    },
    requester: 'user:default/alice',
    state: 'pending-approval',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: [],
    progress: {},
    attempt: 1,
    engineTransferId: `${id}-1`,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    url: `http://localhost:3000/namespace-transfer/transfers/${id}`,
    allowedActions: [],
    ...overrides,
  };
}

/** a log entry of transfer `transferId`; ids grow with `n` as the backend's do */
export function sampleEvent(
  transferId: string,
  n: number,
  kind: TransferLogEvent['kind'],
  payload: Record<string, unknown>,
): TransferLogEvent {
  return {
    id: String(n),
    transferId,
    at: new Date(Date.UTC(2026, 11, 5, 10, 0, n)).toISOString(),
    kind,
    payload,
  };
}

/**
 * A signal API the test drives: `send` delivers a message to every current subscriber, as the signals
 * plugin does, one call per message.
 */
export function fakeSignalApi() {
  // `any` as SignalApi's generic subscribe takes any message type
  const subscribers = new Set<(message: any) => void>();
  return {
    subscribe: jest.fn(
      (_channel: string, onMessage: (message: any) => void) => {
        subscribers.add(onMessage);
        return { unsubscribe: () => subscribers.delete(onMessage) };
      },
    ),
    send(message: TransferSignal) {
      subscribers.forEach(onMessage => onMessage(message));
    },
    get subscriberCount() {
      return subscribers.size;
    },
  };
}

/** the error the client throws when the backend refuses: a ResponseError carrying the backend's body */
export function refusal(status: number, message: string): Promise<Error> {
  const body = {
    error: { name: 'Error', message },
    response: { statusCode: status },
  };
  return ResponseError.fromResponse({
    status,
    statusText: '',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => JSON.stringify(body),
  } as Response);
}
