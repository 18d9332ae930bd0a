import {
  TransferSignal,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * A transfer with a signal's phase and progress figures applied. The state is left alone: a new state
 * changes what the caller may do (allowedActions), which only a fresh read of the transfer says.
 */
export function patchTransfer(
  transfer: TransferSummary,
  signal: TransferSignal,
): TransferSummary {
  return {
    ...transfer,
    phase: signal.phase ?? transfer.phase,
    progress: signal.progress
      ? { ...transfer.progress, ...signal.progress }
      : transfer.progress,
  };
}

/** Whether a signal carries figures to patch in place (rather than only a state to read again). */
export function hasPatch(signal: TransferSignal): boolean {
  return signal.phase !== undefined || signal.progress !== undefined;
}
