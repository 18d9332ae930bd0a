import { IdentityApi } from '@backstage/core-plugin-api';

/** Where the demo sign-in remembers who was picked, so a reload keeps the same user. */
export const DEMO_USER_STORAGE_KEY = 'namespace-transfer:demo-user';

/** Header read by the backend's demo auth provider (packages/backend/src/modules/demoSignIn). */
export const DEMO_USER_HEADER = 'x-namespace-transfer-demo-user';

/** Signing out forgets the picked user, so the next page load offers the choice again. */
export function forgetOnSignOut(
  identity: IdentityApi,
  storage: Storage,
): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      storage.removeItem(DEMO_USER_STORAGE_KEY);
      await identity.signOut();
    },
  };
}
