import type { TransferPhase } from '../transfer';
import type { TransferState } from './states';

/**
 * The Backstage signals channel that carries live transfer updates ({@link TransferSignal}) to the portal.
 *
 * @public
 */
export const TRANSFER_SIGNAL_CHANNEL = 'namespace-transfer';

/**
 * The progress figures of a {@link TransferSignal}: finite numbers only, each present when the mover knows it.
 *
 * @public
 */
export type TransferSignalProgress = {
  bytesDone?: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  rateBytesPerSecond?: number;
  etaSeconds?: number;
};

/**
 * A live update on {@link TRANSFER_SIGNAL_CHANNEL}: the transfer's id and only what changed (a state, a
 * phase or progress figures). It carries no names, plan or people: a subscriber fetches the transfer with
 * its own credentials, so the permission checks of a read apply to what it sees.
 *
 * @public
 */
export type TransferSignal = {
  id: string;
  state?: TransferState;
  phase?: TransferPhase;
  progress?: TransferSignalProgress;
};
