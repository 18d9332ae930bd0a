import type { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import { namespaceTransferPermissions } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { Transfer } from '../store';
import { TransferResource, transferPermissionResourceRef } from './resource';
import { transferPermissionRules } from './rules';

/** Reads a transfer by id, as TransferStore.get: a NotFoundError when there is none. */
export interface TransferLookup {
  get(id: string): Promise<Transfer>;
}

/**
 * Registers the plugin's permissions, the `namespace-transfer` resource type and its rules. The
 * permission backend asks `getResources` when a policy's conditions must be applied to transfers named
 * by id (an `authorize` with a resourceRef from another plugin); `resource` reads their owners now.
 *
 * @public
 */
export function registerTransferPermissions(
  permissionsRegistry: PermissionsRegistryService,
  store: TransferLookup,
  resource: (transfer: Transfer) => Promise<TransferResource>,
): void {
  permissionsRegistry.addPermissions(namespaceTransferPermissions);
  permissionsRegistry.addResourceType({
    resourceRef: transferPermissionResourceRef,
    permissions: namespaceTransferPermissions.filter(
      p => p.type === 'resource',
    ),
    rules: Object.values(transferPermissionRules),
    getResources: refs =>
      Promise.all(
        refs.map(async id => {
          try {
            return await resource(await store.get(id));
          } catch (error) {
            // an unknown id is "no such resource" to the permission framework, which then denies
            if (isError(error) && error.name === NotFoundError.name)
              return undefined;
            throw error;
          }
        }),
      ),
  });
}
