import { useApi } from '@backstage/core-plugin-api';
import {
  TransferCallerProfile,
  TransferDestinationsResponse,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import useAsync from 'react-use/esm/useAsync';
import { namespaceTransferApiRef } from '../../api';
import { useCallerProfile } from '../../hooks';

export interface RequestContext {
  destinations?: TransferDestinationsResponse;
  profile?: TransferCallerProfile;
  /** why no transfer can be requested now (the destinations could not be read) */
  error?: Error;
  /** the user has somewhere to request into, or is an admin who may name any place */
  canRequest: boolean;
}

/** What a request from this tab needs, asked once: where the user may request into, and who they are. */
export function useRequestContext(): RequestContext {
  const api = useApi(namespaceTransferApiRef);
  const { value: destinations, error } = useAsync(
    () => api.getDestinations(),
    [api],
  );
  const { profile } = useCallerProfile();
  const canRequest =
    !!destinations &&
    (destinations.destinations.length > 0 || !!profile?.isAdmin);
  return { destinations, profile, error, canRequest };
}
