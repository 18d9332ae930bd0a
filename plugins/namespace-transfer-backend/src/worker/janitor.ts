import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { TransferNotices } from '../notify/types';
import type { TransferStore } from '../store';

export interface JanitorOptions {
  scheduler: SchedulerService;
  store: TransferStore;
  notices: TransferNotices;
  logger: LoggerService;
  /** how often it runs: often enough that a crashed replica's transfers wait about one lease */
  frequencyMs: number;
  /** after leases were reaped: the local worker may claim them at once */
  onReaped?: () => void;
}

export const JANITOR_TASK_ID = 'namespace-transfer-janitor';

/** One round: requests nobody decided in time expire; leases whose holders stopped heartbeating end. */
export async function janitorRound(
  o: Omit<JanitorOptions, 'scheduler' | 'frequencyMs'>,
): Promise<{ expired: string[]; reaped: string[] }> {
  const expired = await o.store.expireOverdue();
  for (const id of expired)
    await o.notices.stateChanged(await o.store.get(id), {
      from: 'pending-approval',
      action: 'expire',
    });
  const reaped = (await o.store.runs.reapExpiredLeases()).map(
    l => l.transferId,
  );
  if (expired.length || reaped.length)
    o.logger.info(
      `janitor: expired ${expired.length} request(s), ended ${reaped.length} stale lease(s)`,
    );
  if (reaped.length) o.onReaped?.();
  return { expired, reaped };
}

/**
 * The janitor on Backstage's scheduler: one replica at a time runs it (a global task), whichever replicas
 * run transfers.
 */
export async function scheduleJanitor(o: JanitorOptions): Promise<void> {
  await o.scheduler.scheduleTask({
    id: JANITOR_TASK_ID,
    frequency: { milliseconds: o.frequencyMs },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 1 },
    scope: 'global',
    fn: async () => {
      await janitorRound(o);
    },
  });
}
