import { createHash } from 'node:crypto';

/**
 * Deterministic names and labels: a step re-run after a crash finds what an earlier run made instead of
 * making it twice, and cleanup finds everything by label.
 *
 * @public
 */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** @public */
export const MANAGED_BY = 'namespace-transfer';
/** @public */
export const LABEL_TRANSFER_ID = 'namespace-transfer.io/transfer-id';
/**
 * On a moved source claim: where its data went, and which transfer moved it (a finished move).
 *
 * @public
 */
export const TRANSFERRED_TO = 'namespace-transfer.io/transferred-to';
/** @public */
export const TRANSFERRED_BY = 'namespace-transfer.io/transfer-id';
/**
 * On a destination claim a copy made: the source it came from (cluster/namespace/name).
 *
 * @public
 */
export const COPIED_FROM = 'namespace-transfer.io/source';
/** @public */
export const LABEL_ROLE = 'namespace-transfer.io/role';

/** @public */
export type ObjectRole =
  'server' | 'client' | 'endpoint' | 'credentials' | 'config' | 'verify';

/** @public */
export function transferLabels(
  transferId: string,
  role?: ObjectRole,
): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_TRANSFER_ID]: transferId,
    ...(role ? { [LABEL_ROLE]: role } : {}),
  };
}

/** @public */
export function transferSelector(
  transferId: string,
  role?: ObjectRole,
): string {
  return Object.entries(transferLabels(transferId, role))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** @public */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/**
 * `nst-<id>-<role>`, shortened with a hash when it would exceed a DNS label (Services must be labels),
 * so two long ids never collide on the same name.
 *
 * @public
 */
export function objectName(transferId: string, role: ObjectRole): string {
  const full = `nst-${transferId}-${role}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const keep = 63 - role.length - hash.length - 6;
  return `nst-${transferId.slice(0, keep).replace(/-+$/, '')}-${hash}-${role}`;
}
