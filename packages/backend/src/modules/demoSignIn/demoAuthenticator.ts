import { Request } from 'express';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/** The header by which the demo sign-in page names the user to act as. */
export const DEMO_USER_HEADER = 'x-namespace-transfer-demo-user';

export interface DemoAuthResult {
  userEntityRef: string;
}

interface DemoContext {
  enabled: boolean;
  /** when set, only these users may be picked */
  allowedUsers?: Set<string>;
}

/**
 * A proxy authenticator that signs in as the catalog user the person picked. It exists so that a demo can
 * show a requester, a source owner and a platform admin side by side; it is refused unless the backend
 * runs with `auth.environment: development` (or explicitly allowed), because anyone could pick anyone.
 */
export function createDemoAuthenticator(options: { environment: string }) {
  return createProxyAuthenticator<DemoContext, DemoAuthResult, undefined>({
    defaultProfileTransform: async result => ({
      profile: { displayName: parseEntityRef(result.userEntityRef).name },
    }),
    initialize({ config }) {
      const users = config.getOptionalStringArray('users');
      return {
        enabled:
          options.environment === 'development' ||
          config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ===
            true,
        allowedUsers:
          users &&
          new Set(
            users.map(u =>
              stringifyEntityRef(parseEntityRef(u, { defaultKind: 'user' })),
            ),
          ),
      };
    },
    async authenticate({ req }: { req: Request }, ctx) {
      if (!ctx.enabled) {
        throw new NotAllowedError(
          "The demo sign-in works only with auth.environment 'development' (or auth.providers.demo.dangerouslyAllowOutsideDevelopment)",
        );
      }
      const picked = req.header(DEMO_USER_HEADER)?.trim();
      if (!picked)
        throw new InputError(
          `Missing ${DEMO_USER_HEADER} header naming the user to sign in as`,
        );
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(picked, {
            defaultKind: 'user',
            defaultNamespace: 'default',
          }),
        );
      } catch {
        throw new InputError(`'${picked}' is not a user entity reference`);
      }
      if (!ref.startsWith('user:'))
        throw new InputError(`'${picked}' is not a user`);
      if (ctx.allowedUsers && !ctx.allowedUsers.has(ref)) {
        throw new NotAllowedError(
          `${ref} is not one of the demo users (auth.providers.demo.users)`,
        );
      }
      return { result: { userEntityRef: ref } };
    },
  });
}
