import type { TransferState } from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * One colour per state in the per-day charts, chosen so that neighbours in a stack differ in lightness as
 * well as hue (readable for the common colour-vision deficiencies): greens done, reds failed, greys closed.
 */
export const STATE_COLORS: Record<TransferState, string> = {
  'pending-approval': '#f2b134',
  approved: '#7fb3e0',
  running: '#1f6fb5',
  staged: '#8e6cc0',
  succeeded: '#2e7d32',
  failed: '#c62828',
  cancelled: '#757575',
  rejected: '#e57373',
  expired: '#bdbdbd',
};
