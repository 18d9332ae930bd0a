import type { TransferResultSummary } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * How a mover's sync ended, the same for every mover. The client scripts compare only after every
 * module synced, so once `verifying` a failure is the comparison's and the sync succeeded. On success,
 * the errors of earlier attempts were recovered from by a retry: they stay, as warnings.
 */
export function syncOutcome(
  exitCode: number,
  verifying: boolean,
  errors: string[],
  warnings: string[],
): Pick<TransferResultSummary, 'exitCode' | 'ok' | 'errors' | 'warnings'> {
  const code = verifying ? 0 : exitCode;
  return {
    exitCode: code,
    ok: code === 0,
    errors: code === 0 ? [] : errors,
    warnings:
      code === 0
        ? [...warnings, ...errors.map(e => `recovered: ${e}`)]
        : warnings,
  };
}
