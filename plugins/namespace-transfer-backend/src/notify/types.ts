import type { Transfer } from '../store';
import type { TransferAction, TransferState } from '../workflow/states';

/** A change of a transfer that people hear about, after it was stored. */
export interface StateChange {
  from: TransferState;
  /**
   * What moved it. `request` is a new request, just stored (in `pending-approval`; `from` is then that state
   * too): its source's owners are asked.
   */
  action: TransferAction | 'request';
  /** who decided it (user entity ref); undefined for the worker and the janitor */
  actor?: string;
  comment?: string;
}

/**
 * What the workflow and the worker tell people: notifications (to the source's owners when a request needs
 * them, to the requester when it was decided, staged, succeeded or failed) and signals (every state, phase and
 * progress change, to the people who may read the transfer, carrying only its id and what changed). Never
 * throws: a notification that could not be sent is logged, the transfer goes on.
 */
export interface TransferNotices {
  stateChanged(transfer: Transfer, change: StateChange): Promise<void>;
  /** phase or progress stored; the caller bounds the rate of progress */
  progressed(transfer: Transfer, what: 'phase' | 'progress'): Promise<void>;
}
