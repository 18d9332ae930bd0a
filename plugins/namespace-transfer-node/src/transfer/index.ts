import type { MoverKind } from '@namespace-transfer/plugin-namespace-transfer-common';
import { rcloneTransfer } from './rclone';
import { rsyncTransfer } from './rsync';
import type { Transfer } from './types';

export * from './types';
export {
  rsyncTransfer,
  rsyncdConfig,
  rsyncClientScript,
  createRsyncOutputParser,
} from './rsync';
export {
  rcloneTransfer,
  rcloneClientScript,
  createRcloneOutputParser,
} from './rclone';

// another mover plugs in here: a Transfer implementation and one entry, nothing else changes
const MOVERS: Partial<Record<MoverKind, Transfer>> = {
  rsync: rsyncTransfer,
  rclone: rcloneTransfer,
};

/** @public */
export function transferFor(kind: MoverKind): Transfer | undefined {
  return MOVERS[kind];
}
