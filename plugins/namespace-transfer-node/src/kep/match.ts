import type {
  NamespaceTransferApproval,
  NamespaceTransferRequest,
} from './types';

/** @public */
export type ApprovalMatch =
  | { state: 'approved'; approval: NamespaceTransferApproval }
  | { state: 'waiting' }
  | { state: 'mismatch'; message: string };

/**
 * The KEP's matching rule: an approval in the request's source namespace approves the request when it names
 * the same source name and kind, that kind is PersistentVolumeClaim, and its target namespace is the
 * request's namespace. Approvals for the same claim that fail a rule are reported, so the requester sees why
 * nothing happens; approvals for other claims are none of this request's business.
 *
 * @public
 */
export function matchApproval(
  request: NamespaceTransferRequest,
  approvals: NamespaceTransferApproval[],
): ApprovalMatch {
  const src = request.spec.source;
  const candidates = approvals.filter(
    a =>
      a.metadata.namespace === src.namespace && a.spec.source.name === src.name,
  );
  const problems: string[] = [];
  for (const a of candidates) {
    const why: string[] = [];
    if (a.spec.source.kind !== src.kind)
      why.push(
        `its kind is ${a.spec.source.kind}, the request's is ${src.kind}`,
      );
    if (a.spec.source.kind !== 'PersistentVolumeClaim')
      why.push('only PersistentVolumeClaim can be transferred');
    if (a.spec.targetNamespace !== request.metadata.namespace)
      why.push(
        `it approves namespace ${a.spec.targetNamespace}, not ${request.metadata.namespace}`,
      );
    if (!why.length) return { state: 'approved', approval: a };
    problems.push(
      `approval ${a.metadata.namespace}/${a.metadata.name} does not match: ${why.join('; ')}`,
    );
  }
  return problems.length
    ? { state: 'mismatch', message: problems.join('. ') }
    : { state: 'waiting' };
}
