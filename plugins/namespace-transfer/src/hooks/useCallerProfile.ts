import { useApi } from '@backstage/core-plugin-api';
import { TransferCallerProfile } from '@namespace-transfer/plugin-namespace-transfer-common';
import useAsync from 'react-use/esm/useAsync';
import { namespaceTransferApiRef } from '../api';

/** What the signed-in user may do in the plugin (GET /me), asked once per mount. */
export function useCallerProfile(): {
  profile?: TransferCallerProfile;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(namespaceTransferApiRef);
  const { value, loading, error } = useAsync(
    () => api.getCallerProfile(),
    [api],
  );
  return { profile: value, loading, error };
}
