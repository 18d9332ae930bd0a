import { ConflictError } from '@backstage/errors';
import type { TransferRow } from './rows';

export interface Approval {
  actor: string;
  /** distinct approvals the config requires (default 1) */
  required: number;
}

/**
 * Adds an approval to the request's approvers. An owner counts once: approving twice is a 409, so the
 * required number is always of distinct people.
 */
export function addApproval(
  row: TransferRow,
  approval: Approval,
): { approvedBy: string[]; missing: number } {
  if (!Number.isInteger(approval.required) || approval.required < 1)
    throw new Error(
      `the required number of approvals must be a whole number, at least 1 (got ${approval.required})`,
    );
  const before: string[] = JSON.parse(String(row.approved_by ?? '[]'));
  if (before.includes(approval.actor))
    throw new ConflictError(
      `cannot approve: ${approval.actor} approved this request already; it needs ${approval.required - before.length} more approval(s) from other owners`,
    );
  const approvedBy = [...before, approval.actor];
  return {
    approvedBy,
    missing: Math.max(0, approval.required - approvedBy.length),
  };
}
