import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { KepTransfer } from '@namespace-transfer/plugin-namespace-transfer-node';

/**
 * Who asked, for a transfer of the Kubernetes API: the request object itself. Written like an entity ref
 * (kind `kubernetes`) so the list's requester filter and sort treat it as any other requester.
 */
export const kepRequester = (t: Pick<KepTransfer, 'request'>) =>
  `kubernetes:${t.request.namespace}/${t.request.name}`;

/** Who approved: the NamespaceTransferApproval that matched, in the same form. */
export const kepApprover = (a: { namespace: string; name: string }) =>
  `kubernetes:${a.namespace}/${a.name}`;

/**
 * The plan a KEP transfer is recorded with: the KEP only rebinds, and nobody saw a plan before it ran (the
 * approval in the source namespace is the consent), so this says what the request asked and nothing more.
 */
export function kepPlan(t: KepTransfer): Plan {
  const { request: r } = t;
  return {
    transferId: t.id,
    source: {
      cluster: t.cluster,
      namespace: t.source.namespace,
      name: t.source.name,
      accessModes: [],
    },
    destination: {
      cluster: t.cluster,
      namespace: t.destination.namespace,
      name: t.destination.name,
      exists: t.adopted,
    },
    mode: 'rebind',
    modeReason: `NamespaceTransferRequest ${r.namespace}/${r.name} on ${t.cluster} asked for it through the Kubernetes API: the KEP controller hands the volume to ${t.adopted ? 'the claim its user made' : 'a new claim'} ${t.destination.namespace}/${t.destination.name}`,
    intent: 'move',
    // required by the plan's shape; a rebind moves no bytes, so neither is used
    mover: 'rsync',
    transport: 'stunnel',
    workloads: [],
    podSecurity: {},
    warnings: [],
    refusals: [],
    allowed: true,
  };
}

/** The columns of the row a KEP transfer's first recorded attempt makes: running, and never leased. */
export function kepTransferColumns(
  t: KepTransfer,
  ids: { id: string; now: Date; entities: KepEntityRefs },
): Record<string, unknown> {
  const created = t.request.creationTimestamp
    ? new Date(t.request.creationTimestamp)
    : undefined;
  return {
    id: ids.id,
    requested_via: 'kubernetes',
    kubernetes_request: `${t.request.namespace}/${t.request.name}`,
    kep_request_uid: t.requestUid,
    source_cluster: t.cluster,
    source_namespace: t.source.namespace,
    source_claim: t.source.name,
    source_entity_ref: ids.entities.source ?? '',
    destination_cluster: t.cluster,
    destination_namespace: t.destination.namespace,
    destination_claim: t.destination.name,
    destination_entity_ref: ids.entities.destination ?? '',
    requested_mode: 'rebind',
    chosen_mode: 'rebind',
    intent: 'move',
    options: '{}',
    plan: JSON.stringify(kepPlan(t)),
    requester: kepRequester(t),
    state: 'running',
    attempt: t.attempt,
    engine_transfer_id: t.id,
    lease_epoch: 0,
    cancel_requested: false,
    approved_by: JSON.stringify(t.approval ? [kepApprover(t.approval)] : []),
    past_point_of_no_return: Boolean(t.resumedFrom?.pastPointOfNoReturn),
    left_for_resume: false,
    checkpoint: t.resumedFrom ? JSON.stringify(t.resumedFrom) : null,
    created_at: created && !Number.isNaN(created.getTime()) ? created : ids.now,
    updated_at: ids.now,
    started_at: ids.now,
  };
}

/** The catalog entities of a KEP transfer's claims, when the ownership rules name one. */
export interface KepEntityRefs {
  source?: string;
  destination?: string;
}
