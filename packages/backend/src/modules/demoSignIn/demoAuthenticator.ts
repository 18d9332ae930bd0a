import { Request } from 'express';
import {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/** The header by which the demo sign-in page names the user to act as. */
export const DEMO_USER_HEADER = 'x-namespace-transfer-demo-user';

export interface DemoAuthResult {
  userEntityRef: string;
  /** the audit event of this sign-in, finished by the sign-in resolver once the token is issued */
  audit: AuditorServiceEvent;
}

interface DemoContext {
  enabled: boolean;
  /** when set, only these users may be picked */
  allowedUsers?: Set<string>;
}

/** The demo sign-in works only in a backend that states development explicitly. */
export function demoSignInAllowed(
  authEnvironment: string | undefined,
  nodeEnv: string | undefined,
): boolean {
  return authEnvironment === 'development' && nodeEnv !== 'production';
}

/**
 * A proxy authenticator that signs in as the catalog user the person picked. It exists so that a demo can
 * show a requester, a source owner and a platform admin side by side; anyone could pick anyone, so it is
 * refused unless the backend runs with `auth.environment: development` (stated, not defaulted) and
 * NODE_ENV is not production. Every attempt is audited: who asked (the request's address and user agent,
 * and the caller's identity if it sent one) and as whom.
 */
export function createDemoAuthenticator(options: {
  authEnvironment: string | undefined;
  nodeEnv: string | undefined;
  auditor: AuditorService;
}) {
  const { auditor } = options;
  return createProxyAuthenticator<DemoContext, DemoAuthResult, undefined>({
    defaultProfileTransform: async result => ({
      profile: { displayName: parseEntityRef(result.userEntityRef).name },
    }),
    initialize({ config }) {
      const users = config.getOptionalStringArray('users');
      return {
        enabled: demoSignInAllowed(options.authEnvironment, options.nodeEnv),
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
      const picked = req.header(DEMO_USER_HEADER)?.trim();
      const audit = await auditor.createEvent({
        eventId: 'demo-sign-in',
        severityLevel: 'medium',
        request: req,
        meta: { requestedUser: picked ?? null },
      });
      try {
        const userEntityRef = checkPicked(picked, ctx);
        return { result: { userEntityRef, audit } };
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
    },
  });
}

function checkPicked(picked: string | undefined, ctx: DemoContext): string {
  if (!ctx.enabled) {
    throw new NotAllowedError(
      "The demo sign-in works only when auth.environment is 'development' (stated in the configuration) and NODE_ENV is not 'production'",
    );
  }
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
  return ref;
}
