/**
 * The backend under measurement, in a process of its own (started by api.bench.ts): the plugin on a test
 * backend with the database given in BENCH_API_DB ({"client","connection"}), no clusters, the worker off,
 * a catalog of the bench's components and teams, and the demo's policy (the audit view for admins only).
 * A process of its own so that its RSS is the backend's alone, not the client's that downloads the CSV.
 * Prints one line `{"port":N}` once it serves; stops on SIGTERM or when its stdin closes.
 */
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory from 'knex';
import { namespaceTransferPlugin } from '../../plugins/namespace-transfer-backend/src/plugin';
import { COMPONENTS, componentRef, teamOfComponent, teamRef } from './rows';
import { ADMIN, groupsOf } from './users';

const component = (c: number): Entity => {
  const name = componentRef(c).split('/')[1];
  const owner = teamRef(teamOfComponent(c));
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner, type: 'service', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
};

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

/** The users' ownership claims, as the sign-in resolver gives them: themselves and their team. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = userOf(credentials)!;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...groupsOf(ref)],
      };
    },
  }),
});

/** packages/backend's demo policy: the audit permission for admins only, the rest to the plugin's checks */
const decide = (permission: string, credentials: BackstageCredentials) =>
  permission === 'namespace-transfer.transfer.audit' &&
  userOf(credentials) !== ADMIN
    ? AuthorizeResult.DENY
    : AuthorizeResult.ALLOW;
const policy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    authorize: async (requests, { credentials }) =>
      requests.map(r => ({ result: decide(r.permission.name, credentials) })),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(r => ({ result: decide(r.permission.name, credentials) })),
  }),
});

async function main() {
  const knex = knexFactory({
    ...JSON.parse(process.env.BENCH_API_DB ?? '{}'),
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      namespaceTransferPlugin,
      catalogServiceMock.factory({
        entities: Array.from({ length: COMPONENTS }, (_, c) => component(c)),
      }),
      mockServices.database.factory({ knex }),
      userInfo,
      policy,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.example.com' },
          namespaceTransfer: {
            admins: [ADMIN],
            // the bench asks faster than any person: the limiter is not what it measures
            rateLimit: { burst: 1_000_000, perMinute: 10_000_000 },
            worker: { enabled: false },
          },
        },
      }),
    ],
  });
  process.stdout.write(`${JSON.stringify({ port: backend.server.port() })}\n`);
  const stop = () => {
    backend
      .stop()
      .then(() => knex.destroy())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  // the bench holds our stdin: when it ends (the bench died), so do we
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
