/**
 * The phase model shared by the engine (which emits phase changes), the backend (which stores them) and the
 * frontend (which draws a timeline). Order matters: it is the order a copy goes through.
 *
 * @public
 */
export const TRANSFER_PHASES = [
  'Pending',
  'Planning',
  'Provisioning',
  'Exposing',
  'Staging',
  'Quiescing',
  'Syncing',
  'Verifying',
  'Rebinding',
  'Finalizing',
  'CleaningUp',
  'RollingBack',
  'Succeeded',
  'Failed',
  'Cancelled',
] as const;

/** @public */
export type TransferPhase = (typeof TRANSFER_PHASES)[number];

/** @public */
export const TERMINAL_PHASES: readonly TransferPhase[] = [
  'Succeeded',
  'Failed',
  'Cancelled',
];

/** @public */
export function isTerminalPhase(phase: TransferPhase): boolean {
  return TERMINAL_PHASES.includes(phase);
}

/** @public */
export function isTransferPhase(value: unknown): value is TransferPhase {
  return (
    typeof value === 'string' &&
    (TRANSFER_PHASES as readonly string[]).includes(value)
  );
}
