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
 * request's namespace. An approval another request used up (status Used) is consent given once, not again.
 * Approvals for the same claim that fail a rule are reported, so the requester sees why
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
    const usedBy = usedByAnother(a, request);
    if (usedBy)
      why.push(
        `it was used already by NamespaceTransferRequest ${usedBy}: a new transfer needs a new approval`,
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

/** The request (namespace/name) that used the approval up, when that is not this request. */
function usedByAnother(
  a: NamespaceTransferApproval,
  r: NamespaceTransferRequest,
): string | undefined {
  const used = a.status?.phase === 'Used' ? a.status.matchedRequest : undefined;
  if (!used) return undefined;
  // by uid when both have one: a request deleted and made again under its name is another request
  const same =
    used.uid && r.metadata.uid
      ? used.uid === r.metadata.uid
      : used.namespace === r.metadata.namespace &&
        used.name === r.metadata.name;
  return same ? undefined : `${used.namespace}/${used.name}`;
}
