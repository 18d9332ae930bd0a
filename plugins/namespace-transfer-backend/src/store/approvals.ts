import { ConflictError } from '@backstage/errors';
import { repeatedApproval } from '../workflow/states';
import type { TransferRow } from './rows';

export interface Approval {
  actor: string;
  /** distinct approvals the config requires (default 1) */
  required: number;
}

/** Adds an approval to the request's approvers; approving twice is a 409 (see repeatedApproval). */
export function addApproval(
  row: TransferRow,
  approval: Approval,
): { approvedBy: string[]; missing: number } {
  if (!Number.isInteger(approval.required) || approval.required < 1)
    throw new Error(
      `the required number of approvals must be a whole number, at least 1 (got ${approval.required})`,
    );
  const before: string[] = JSON.parse(String(row.approved_by ?? '[]'));
  const again = repeatedApproval(before, approval.actor, approval.required);
  if (again) throw new ConflictError(`cannot approve: ${again}`);
  const approvedBy = [...before, approval.actor];
  return {
    approvedBy,
    missing: Math.max(0, approval.required - approvedBy.length),
  };
}
