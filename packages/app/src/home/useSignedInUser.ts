import { useEffect, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';

export interface SignedInUser {
  userEntityRef: string;
  /** The catalog user's `spec.profile.displayName`, else the sign-in profile's, else the user's name. */
  displayName: string;
  /** The user and the groups they act for, as the identity carries them (`ownershipEntityRefs`). */
  ownershipEntityRefs: string[];
}

export type Loadable<T> =
  | { loading: true; value?: undefined; error?: undefined }
  | { loading: false; value: T; error?: undefined }
  | { loading: false; value?: undefined; error: Error };

/** Runs `load` whenever `deps` change and keeps only the latest answer. */
export function useLoadable<T>(
  load: () => Promise<T>,
  deps: unknown[],
): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    load().then(
      value => current && setState({ loading: false, value }),
      error =>
        current &&
        setState({
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/**
 * Who is signed in. The display name comes from the user's catalog entity where there is one: sign-in
 * providers often only know a login name, and the catalog's profile is what the rest of the portal shows.
 */
export function useSignedInUser(): Loadable<SignedInUser> {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useLoadable(async () => {
    const [identity, profile] = await Promise.all([
      identityApi.getBackstageIdentity(),
      identityApi.getProfileInfo(),
    ]);
    // A user the catalog does not know (guest) still gets a page, greeted by the sign-in profile.
    const entity = await catalogApi
      .getEntityByRef(identity.userEntityRef)
      .catch(() => undefined);
    const catalogName = (
      entity?.spec?.profile as { displayName?: string } | undefined
    )?.displayName;
    return {
      userEntityRef: identity.userEntityRef,
      displayName:
        catalogName ||
        profile.displayName ||
        parseEntityRef(identity.userEntityRef).name,
      ownershipEntityRefs: identity.ownershipEntityRefs,
    };
  }, [identityApi, catalogApi]);
}
