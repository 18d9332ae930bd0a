import type { KubeConfig } from '@kubernetes/client-node';
import { setCondition, StatusWriter } from './status';
import {
  APPROVALS,
  type ApprovalStatus,
  type NamespaceTransferApproval,
  type NamespaceTransferRequest,
} from './types';

/**
 * Writes an approval's status (see StatusWriter): which request it approves.
 *
 * @public
 */
export class ApprovalStatusWriter extends StatusWriter<
  ApprovalStatus,
  NamespaceTransferApproval
> {
  constructor(kc: KubeConfig) {
    super(kc, APPROVALS);
  }
}

/**
 * The status an approval gets from the request it matched: Matched while that request waits or runs, Used
 * once its volume was handed over. A failed request leaves the approval Matched: the source owner's consent
 * still stands for a new request.
 */
export function matchedStatus(
  s: ApprovalStatus,
  r: NamespaceTransferRequest,
  now?: string,
): ApprovalStatus {
  const used = r.status?.phase === 'Succeeded';
  const who = `${r.metadata.namespace}/${r.metadata.name}`;
  const message = used
    ? `used by NamespaceTransferRequest ${who}`
    : `approves NamespaceTransferRequest ${who}`;
  return {
    ...s,
    phase: used ? 'Used' : 'Matched',
    message,
    matchedRequest: {
      namespace: r.metadata.namespace,
      name: r.metadata.name,
      ...(r.metadata.uid ? { uid: r.metadata.uid } : {}),
    },
    conditions: setCondition(
      s.conditions,
      {
        type: 'Matched',
        status: 'True',
        reason: used ? 'Used' : 'RequestMatched',
        message,
      },
      now,
    ),
  };
}
