import type { NewTransfer } from './types';

/** The columns of a new transfer's row: the request as asked, waiting for its source owners. */
export function transferColumns(
  t: NewTransfer,
  ids: { id: string; batchId?: string; engineTransferId: string; now: Date },
): Record<string, unknown> {
  return {
    id: ids.id,
    batch_id: ids.batchId ?? null,
    source_cluster: t.source.cluster,
    source_namespace: t.source.namespace,
    source_claim: t.source.claim,
    source_entity_ref: t.source.entityRef,
    destination_cluster: t.destination.cluster,
    destination_namespace: t.destination.namespace,
    destination_claim: t.destination.claim,
    destination_storage_class: t.destination.storageClass ?? null,
    destination_size: t.destination.size ?? null,
    destination_entity_ref: t.destination.entityRef,
    requested_mode: t.requestedMode,
    intent: t.intent,
    options: JSON.stringify(t.options),
    plan: JSON.stringify(t.plan),
    requester: t.requester,
    comment: t.comment ?? null,
    state: 'pending-approval',
    attempt: 1,
    engine_transfer_id: ids.engineTransferId,
    lease_epoch: 0,
    cancel_requested: false,
    approved_by: '[]',
    past_point_of_no_return: false,
    left_for_resume: false,
    created_at: ids.now,
    updated_at: ids.now,
    expires_at: t.expiresAt ?? null,
    cutover_at: t.cutoverAt ?? null,
  };
}
