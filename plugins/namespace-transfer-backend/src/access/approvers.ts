import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { Transfer } from '../store';
import type { TransferAccessService } from './createTransferAccess';

/**
 * Who is asked to decide on a transfer: the source claim's owners now, as an approval will check them.
 * When the claim cannot be read (gone: 404; its cluster down: 502) the source entity's owners recorded with
 * the request stand in, and when nobody owns it (two entities claim it, or the catalog does not answer)
 * the admins: a notice must reach someone who can act, and a failed lookup must not drop the whole send,
 * the requester's part included.
 */
export function sourceApprovers(
  access: Pick<TransferAccessService, 'claimOwnership' | 'transferResource'>,
  admins: string[],
  logger?: LoggerService,
): (transfer: Transfer) => Promise<string[]> {
  const why = (error: unknown) =>
    isError(error) ? error.message : String(error);
  return async transfer => {
    try {
      const { owners } = await access.claimOwnership(transfer.source);
      return owners.length ? owners : admins;
    } catch (claimError) {
      try {
        const { sourceOwners } = await access.transferResource(transfer);
        logger?.info(
          `namespace-transfer: the owners of claim ${transfer.source.namespace}/${transfer.source.claim} on '${transfer.source.cluster}' could not be read (${why(claimError)}); notifying the owners of ${transfer.source.entityRef}`,
        );
        return sourceOwners.length ? sourceOwners : admins;
      } catch (entityError) {
        logger?.warn(
          `namespace-transfer: no owners of transfer ${transfer.id} could be read (${why(claimError)}; ${why(entityError)}); notifying the admins`,
        );
        return admins;
      }
    }
  };
}

/**
 * Who hears of a transfer's changes live (its signals, which carry only the id and what changed): those who
 * may read it, the requester and the owners of both sides now, and the admins, whose audit page shows
 * every transfer (a policy that takes audit from an admin keeps the transfer itself from them: 404). When
 * the catalog does not answer, the requester and the admins still hear of it.
 */
export function transferReaders(
  access: Pick<TransferAccessService, 'transferResource'>,
  admins: string[],
  logger?: LoggerService,
): (transfer: Transfer) => Promise<string[]> {
  return async transfer => {
    let owners: string[] = [];
    try {
      const r = await access.transferResource(transfer);
      owners = [...r.sourceOwners, ...r.destinationOwners];
    } catch (error) {
      logger?.warn(
        `namespace-transfer: the owners of transfer ${transfer.id} could not be read (${isError(error) ? error.message : String(error)}); its live updates go to the requester and the admins only`,
      );
    }
    return [...new Set([transfer.requester, ...owners, ...admins])];
  };
}
