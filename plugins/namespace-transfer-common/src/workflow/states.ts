/**
 * The states of a transfer request, shared by the backend (which moves a transfer between them), the API
 * schemas (which filter by them) and the portal (which draws and groups them). Which action leads from
 * which state to which is the backend's business: its refusals depend on facts the portal does not have
 * (the engine's checkpoint, a cancel under way), so the portal asks and the API answers 409 with a reason.
 *
 * @public
 */
export const TRANSFER_STATES = [
  'pending-approval',
  'approved',
  'running',
  'staged',
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
  'expired',
] as const;

/**
 * One of {@link TRANSFER_STATES}.
 *
 * @public
 */
export type TransferState = (typeof TRANSFER_STATES)[number];

/**
 * States a transfer never leaves. Failed and cancelled are not among them: they can be retried (or a failure
 * past the point of no return resumed).
 *
 * @public
 */
export const FINAL_TRANSFER_STATES: readonly TransferState[] = [
  'succeeded',
  'rejected',
  'expired',
];

/**
 * States that end an attempt: nothing changes any more until someone retries or resumes it, so a page can
 * stop expecting progress. The backend sets the transfer's `finishedAt` when it enters one.
 *
 * @public
 */
export const ENDED_TRANSFER_STATES: readonly TransferState[] = [
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
  'expired',
];

/**
 * States of an approved transfer whose attempt has not ended: the worker runs it or will claim it (a staged
 * transfer waits for its cutover with its copy on the clusters), so phases and progress still come.
 *
 * @public
 */
export const ACTIVE_TRANSFER_STATES: readonly TransferState[] = [
  'approved',
  'running',
  'staged',
];

/**
 * Whether a value (e.g. from a query string or a signal) names a transfer state.
 *
 * @public
 */
export function isTransferState(value: unknown): value is TransferState {
  return (
    typeof value === 'string' &&
    (TRANSFER_STATES as readonly string[]).includes(value)
  );
}

/**
 * Whether a transfer in this state never changes again.
 *
 * @public
 */
export function isFinalTransferState(state: TransferState): boolean {
  return FINAL_TRANSFER_STATES.includes(state);
}

/**
 * Whether a transfer in this state has ended its attempt (see {@link ENDED_TRANSFER_STATES}).
 *
 * @public
 */
export function isEndedTransferState(state: TransferState): boolean {
  return ENDED_TRANSFER_STATES.includes(state);
}

/**
 * Whether a transfer in this state is approved and under way (see {@link ACTIVE_TRANSFER_STATES}).
 *
 * @public
 */
export function isActiveTransferState(state: TransferState): boolean {
  return ACTIVE_TRANSFER_STATES.includes(state);
}
