import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { Transfer } from '../store';
import { ENDED_STATES } from '../workflow/states';
import { FailureLog } from './failureLog';
import { BatchAsks } from './BatchAsks';
import { batchAsk, isBatchRequest, Notice, noticesFor } from './notices';
import { ReadersCache } from './ReadersCache';
import {
  progressSignal,
  stateSignal,
  TRANSFER_SIGNAL_CHANNEL,
  TransferSignal,
} from './signals';
import type { StateChange, TransferNotices } from './types';

/** @public */
export interface TransferNoticesOptions {
  notifications: NotificationService;
  signals: SignalsService;
  logger: LoggerService;
  /**
   * Who decides on the transfer's source now (entity refs: users or groups, which the notifications backend
   * expands to their members). Empty when nobody but the admins owns the claim: return the admins then, or
   * nobody is asked.
   */
  ownersOf(transfer: Transfer): Promise<string[]>;
  /** Who may read the transfer (requester, source and destination owners): the only receivers of its signals. */
  readersOf(transfer: Transfer): Promise<string[]>;
  /** How long the readers are reused for phase and progress signals (default 30 s); state changes ask afresh. */
  readersTtlMs?: number;
}

/**
 * The notifications and signals of the transfer workflow (issue 16), behind TransferNotices. Nothing in
 * here throws to the caller: the transfer was stored already and goes on whatever a send does.
 *
 * @public
 */
export function createTransferNotices(
  options: TransferNoticesOptions,
): TransferNotices {
  const { notifications, signals, ownersOf } = options;
  const failures = new FailureLog(options.logger);
  const readers = new ReadersCache(options.readersOf, options.readersTtlMs);
  const batchAsks = new BatchAsks();

  async function guarded(
    key: string,
    what: string,
    work: () => Promise<void>,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      failures.failed(key, what, error);
    }
  }

  async function recipientsOf(
    transfer: Transfer,
    notice: Notice,
  ): Promise<string[]> {
    switch (notice.to) {
      case 'owners':
        return ownersOf(transfer);
      case 'requester':
        return [transfer.requester];
      case 'requester-and-approvers':
        return [transfer.requester, ...transfer.approvedBy];
      case 'requester-approvers-and-owners':
        return [
          transfer.requester,
          ...transfer.approvedBy,
          ...(await ownersOf(transfer)),
        ];
      default:
        return [];
    }
  }

  async function send(
    transfer: Transfer,
    change: StateChange,
    notice: Notice,
  ): Promise<void> {
    const excluded = new Set(notice.exclude);
    const to = [...new Set(await recipientsOf(transfer, notice))].filter(
      ref => !excluded.has(ref),
    );
    if (to.length === 0) return;
    if (notice.to === 'owners' && isBatchRequest(transfer, change)) {
      const key = `${transfer.batchId}|${[...to].sort().join(',')}`;
      await batchAsks.add(key, transfer.source.claim, claims =>
        deliver(to, batchAsk(notice, transfer, claims)),
      );
      return;
    }
    await deliver(to, notice);
  }

  async function deliver(to: string[], notice: Notice): Promise<void> {
    await notifications.send({
      recipients: {
        type: 'entity',
        entityRef: to,
        // a group's members are expanded by the notifications backend: the actor among them is left out there
        ...(notice.exclude.length ? { excludeEntityRef: notice.exclude } : {}),
      },
      payload: notice.payload,
    });
  }

  async function publish(
    refs: string[],
    message: TransferSignal,
  ): Promise<void> {
    // never a broadcast: no receivers means nobody hears of it
    if (refs.length === 0) return;
    await signals.publish<TransferSignal>({
      recipients: { type: 'user', entityRef: [...new Set(refs)] },
      channel: TRANSFER_SIGNAL_CHANNEL,
      message,
    });
  }

  return {
    async stateChanged(transfer: Transfer, change: StateChange) {
      const sends = noticesFor(transfer, change).map(notice =>
        guarded(
          'notification',
          `send the "${notice.kind}" notification of transfer ${transfer.id}`,
          () => send(transfer, change, notice),
        ),
      );
      const signal = guarded(
        'signal',
        `signal the state of transfer ${transfer.id}`,
        async () => {
          const refs = await readers.fresh(transfer);
          if (ENDED_STATES.includes(transfer.state))
            readers.forget(transfer.id);
          await publish(refs, stateSignal(transfer));
        },
      );
      await Promise.all([...sends, signal]);
    },

    async progressed(transfer: Transfer, what: 'phase' | 'progress') {
      await guarded(
        'signal',
        `signal the ${what} of transfer ${transfer.id}`,
        async () =>
          publish(
            await readers.recent(transfer),
            progressSignal(transfer, what),
          ),
      );
    },
  };
}
