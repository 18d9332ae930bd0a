import type { ProgressSummary, Transfer } from '../store';
import type { TransferPhase } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferState } from '../workflow/states';

/** The signals channel the portal subscribes to for live transfer updates. */
export const TRANSFER_SIGNAL_CHANNEL = 'namespace-transfer';

/** The progress figures of a signal: numbers only. */
export type TransferSignalProgress = {
  bytesDone?: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  rateBytesPerSecond?: number;
  etaSeconds?: number;
};

/**
 * A live update: the transfer's id and only what changed. No names, plan or people: a subscriber fetches the
 * transfer with its own credentials, so the permission checks of a read apply to what it sees.
 */
export type TransferSignal = {
  id: string;
  state?: TransferState;
  phase?: TransferPhase;
  progress?: TransferSignalProgress;
};

export function stateSignal(transfer: Transfer): TransferSignal {
  return { id: transfer.id, state: transfer.state };
}

export function progressSignal(
  transfer: Transfer,
  what: 'phase' | 'progress',
): TransferSignal {
  if (what === 'phase')
    return transfer.phase
      ? { id: transfer.id, phase: transfer.phase }
      : { id: transfer.id };
  return { id: transfer.id, progress: progressFigures(transfer.progress) };
}

const FIGURES: ReadonlyArray<keyof TransferSignalProgress> = [
  'bytesDone',
  'bytesTotal',
  'filesDone',
  'filesTotal',
  'rateBytesPerSecond',
  'etaSeconds',
];

/** Copies the known figures that are finite numbers: whatever else the summary holds stays home. */
function progressFigures(
  summary: ProgressSummary | undefined,
): TransferSignalProgress {
  const figures: TransferSignalProgress = {};
  for (const key of FIGURES) {
    const value = summary?.[key];
    if (typeof value === 'number' && Number.isFinite(value))
      figures[key] = value;
  }
  return figures;
}
