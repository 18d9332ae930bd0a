import { CustomObjectsApi } from '@kubernetes/client-node';
import { isTerminalPhase } from '@namespace-transfer/plugin-namespace-transfer-common';
import { httpStatus, withRetry } from '../clusters';
import { matchedStatus } from './approvalStatus';
import { runAttempt } from './attempt';
import { keyOf, splitKey, type KepContext } from './context';
import { pickDestinationClaim } from './destination';
import { forTerm } from './term';
import { matchApproval } from './match';
import { isCommitted } from './outcome';
import { setCondition, type Status } from './status';
import {
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  type KepTransfer,
  type NamespaceTransferApproval,
  type NamespaceTransferRequest,
} from './types';

/**
 * The transfer id of a request: stable across controller restarts, unique per request object.
 *
 * @public
 */
export const transferIdOf = (r: NamespaceTransferRequest) =>
  `kep-${r.metadata.uid}`;

/**
 * Brings one request where its objects say it should be: waiting (and why), or run (again). Decided on the
 * live object, since the cache may lag behind this controller's own last status write.
 */
export async function reconcileRequest(
  controller: KepContext,
  key: string,
): Promise<void> {
  const { namespace, name } = splitKey(key);
  if (!controller.isLeader() || !controller.caches.request(namespace, name))
    return;
  // taken once: a leader that lost the Lease writes nothing more for this request, however long it runs on
  const ctx = forTerm(controller);
  // a retry waiting out its backoff: its own status writes must not start it early
  if ((ctx.retryAt.get(key) ?? 0) > Date.now()) return;
  const r = await readLive(ctx, namespace, name);
  if (!r) return;
  const match = matchApproval(r, ctx.caches.approvals(r.spec.source.namespace));
  if (match.state === 'approved') await noteApproval(ctx, match.approval, r);
  const checkpoint = r.status?.checkpoint;
  // past the point of no return the volume must reach a claim, approval or not; a Failed written there
  // (by an older controller) does not end that
  const committed = isCommitted(checkpoint);
  const phase = r.status?.phase;
  if (
    phase &&
    isTerminalPhase(phase as never) &&
    !(phase === 'Failed' && committed)
  )
    return;
  if (match.state !== 'approved' && !committed) {
    const message =
      match.state === 'mismatch'
        ? match.message
        : `waiting for a NamespaceTransferApproval in namespace ${r.spec.source.namespace} for ${r.spec.source.kind} ${r.spec.source.name} with targetNamespace ${namespace}`;
    const reason =
      match.state === 'mismatch' ? 'ApprovalMismatch' : 'AwaitingApproval';
    await waiting(ctx, r, message, { approved: false, reason });
    return;
  }
  const destination = destinationOf(ctx, r);
  if ('conflict' in destination) {
    await waiting(ctx, r, destination.conflict, {
      approved: true,
      reason: 'DestinationConflict',
    });
    return;
  }
  const approval =
    match.state === 'approved'
      ? {
          namespace: match.approval.metadata.namespace,
          name: match.approval.metadata.name,
          uid: match.approval.metadata.uid,
        }
      : undefined;
  const t: KepTransfer = {
    id: transferIdOf(r),
    requestUid: r.metadata.uid ?? '',
    cluster: ctx.cluster,
    request: {
      namespace,
      name,
      generation: r.metadata.generation,
      creationTimestamp: r.metadata.creationTimestamp,
    },
    approval,
    source: { namespace: r.spec.source.namespace, name: r.spec.source.name },
    destination: { namespace, name: destination.name },
    adopted: destination.adopted,
    attempt: (r.status?.attempts ?? 0) + 1,
    resumedFrom: checkpoint,
  };
  await runAttempt(ctx, t);
  if (match.state === 'approved') {
    const after = await readLive(ctx, namespace, name);
    if (after) await noteApproval(ctx, match.approval, after);
  }
}

/**
 * The claim that receives the volume: the one frozen in status once a run started (a claim made or
 * deleted later changes nothing), else the one the objects name now.
 */
function destinationOf(
  ctx: KepContext,
  r: NamespaceTransferRequest,
): { name: string; adopted: boolean } | { conflict: string } {
  const claims = ctx.caches.claims(r.metadata.namespace);
  // written when the first run starts, whether or not that run ended
  const frozen = r.status?.destinationClaim;
  if (frozen) {
    const name = splitKey(frozen).name;
    const ref = claims.find(c => c.metadata?.name === name)?.spec
      ?.dataSourceRef;
    const adopted =
      ref?.apiGroup === KEP_GROUP &&
      ref.kind === 'NamespaceTransferRequest' &&
      ref.name === r.metadata.name;
    return { name, adopted };
  }
  const pick = pickDestinationClaim(r, claims);
  return pick.conflict ? { conflict: pick.conflict } : pick;
}

async function waiting(
  ctx: KepContext,
  r: NamespaceTransferRequest,
  message: string,
  o: { approved: boolean; reason: string },
): Promise<void> {
  await ctx.requests.update(r.metadata.namespace, r.metadata.name, s => {
    let conditions = setCondition(s.conditions, {
      type: 'Approved',
      status: o.approved ? 'True' : 'False',
      reason: o.approved ? 'Approved' : o.reason,
      message: o.approved ? undefined : message,
    });
    conditions = setCondition(conditions, {
      type: 'Progressing',
      status: 'False',
      reason: o.reason,
      message,
    });
    return { ...s, phase: 'Pending', message, conditions } as Status;
  });
}

/** The approval names the request it approves (written only when that changes something). */
async function noteApproval(
  ctx: KepContext,
  a: NamespaceTransferApproval,
  r: NamespaceTransferRequest,
): Promise<void> {
  const mine = a.status?.matchedRequest;
  // an approval used by one request is not claimed by the next one for the same claim
  if (
    mine &&
    a.status?.phase === 'Used' &&
    keyOf(mine.namespace, mine.name) !==
      keyOf(r.metadata.namespace, r.metadata.name)
  )
    return;
  await ctx.approvals.update(a.metadata.namespace, a.metadata.name, s =>
    matchedStatus(s, r),
  );
}

async function readLive(
  ctx: KepContext,
  namespace: string,
  name: string,
): Promise<NamespaceTransferRequest | undefined> {
  const custom = ctx.kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    return (await withRetry(() =>
      custom.getNamespacedCustomObject({
        group: KEP_GROUP,
        version: KEP_VERSION,
        plural: REQUESTS,
        namespace,
        name,
      }),
    )) as NamespaceTransferRequest;
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
}
