import {
  isTransferPhase,
  isTransferState,
  TransferSignal,
  TransferSignalProgress,
} from '@namespace-transfer/plugin-namespace-transfer-common';

const PROGRESS_KEYS: Array<keyof TransferSignalProgress> = [
  'bytesDone',
  'bytesTotal',
  'filesDone',
  'filesTotal',
  'rateBytesPerSecond',
  'etaSeconds',
];

function progressOf(value: unknown): TransferSignalProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const source = value as Record<string, unknown>;
  const progress: TransferSignalProgress = {};
  for (const key of PROGRESS_KEYS) {
    const figure = source[key];
    if (typeof figure === 'number' && Number.isFinite(figure)) {
      progress[key] = figure;
    }
  }
  return Object.keys(progress).length > 0 ? progress : undefined;
}

/**
 * A message of the signals channel as a TransferSignal, or undefined when it has no transfer id. The
 * channel is the network's: a field that is not what the contract says is dropped rather than trusted.
 */
export function toTransferSignal(
  message: Readonly<Record<string, unknown>>,
): TransferSignal | undefined {
  if (typeof message.id !== 'string' || message.id === '') return undefined;
  const signal: TransferSignal = { id: message.id };
  if (isTransferState(message.state)) signal.state = message.state;
  if (isTransferPhase(message.phase)) signal.phase = message.phase;
  const progress = progressOf(message.progress);
  if (progress) signal.progress = progress;
  return signal;
}
