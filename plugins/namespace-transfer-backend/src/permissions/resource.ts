import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { NAMESPACE_TRANSFER_RESOURCE_TYPE } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { Transfer } from '../store';

/**
 * A stored transfer as the permission rules see it: the rules decide synchronously, so the owners of both
 * sides are read (from the catalog, now) before the conditions are applied.
 *
 * @public
 */
export interface TransferResource {
  transfer: Transfer;
  /** the owners of the transfer's source now (the ownedBy relations of the entity that owns its claim) */
  sourceOwners: string[];
  /** the owners of the transfer's destination entity now */
  destinationOwners: string[];
}

/**
 * What a rule's condition means as a filter of stored transfers: one side's people, any of `values`
 * (entity refs). `sourceOwnedBy`/`destinationOwnedBy` name owners, not entities: a store query resolves
 * them to the entities those owners own through the catalog first.
 *
 * @public
 */
export type TransferQuery = {
  property: 'requester' | 'sourceOwnedBy' | 'destinationOwnedBy';
  values: string[];
};

/**
 * The `namespace-transfer` resource type of the permission framework.
 *
 * @public
 */
export const transferPermissionResourceRef = createPermissionResourceRef<
  TransferResource,
  TransferQuery
>().with({
  pluginId: 'namespace-transfer',
  resourceType: NAMESPACE_TRANSFER_RESOURCE_TYPE,
});
