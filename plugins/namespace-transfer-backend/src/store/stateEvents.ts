import type { Knex } from 'knex';
import type { EventLog } from './EventLog';
import type { TransferRow } from './rows';

/** The event of a change of state: from, to, by which action, and what else the change started. */
export async function appendStateChange(
  events: EventLog,
  tx: Knex.Transaction,
  before: TransferRow,
  after: TransferRow,
  action: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await events.append(
    after.id,
    'state',
    {
      from: before.state,
      to: after.state,
      action,
      attempt: Number(after.attempt),
      ...(after.engine_transfer_id !== before.engine_transfer_id
        ? { engineTransferId: after.engine_transfer_id }
        : {}),
      ...(after.cancel_requested && !before.cancel_requested
        ? { cancelRequested: true }
        : {}),
      ...(details ? { details } : {}),
    },
    tx,
  );
}
