import type { Transfer } from '../../store';
import { realisticPlan } from '../../store/__testUtils__/transfers';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const PAYMENTS_TEAM = 'group:default/team-payments';

/** A stored transfer of payments/db-data from west to east/payments, requested by alice. */
export function storedTransfer(overrides: Partial<Transfer> = {}): Transfer {
  const at = new Date('2026-12-05T08:00:00Z');
  return {
    id: 'tr-1',
    requestedVia: 'portal',
    source: {
      cluster: 'west',
      namespace: 'payments',
      claim: 'db-data',
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'east',
      namespace: 'payments',
      claim: 'db-data',
      entityRef: 'component:default/payments-db-east',
    },
    requestedMode: 'auto',
    intent: 'move',
    options: {},
    plan: realisticPlan('db-data'),
    requester: ALICE,
    state: 'pending-approval',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: [],
    progress: {},
    attempt: 1,
    engineTransferId: 'tr-1-a1',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
