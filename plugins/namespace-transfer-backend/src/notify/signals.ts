import type { ProgressSummary, Transfer } from '../store';
import type {
  TransferSignal,
  TransferSignalProgress,
} from '@namespace-transfer/plugin-namespace-transfer-common';

// The channel and the message types are the portal's contract, so common describes them; this file builds
// the messages. Re-exported for the backend's own callers.
export { TRANSFER_SIGNAL_CHANNEL } from '@namespace-transfer/plugin-namespace-transfer-common';
export type {
  TransferSignal,
  TransferSignalProgress,
} from '@namespace-transfer/plugin-namespace-transfer-common';

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
