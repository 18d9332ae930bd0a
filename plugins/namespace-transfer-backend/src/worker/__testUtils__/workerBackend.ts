/*
 * A minimal backend process for the worker's process tests (issue 16): Backstage's own backend
 * (backend-defaults: config, database, scheduler, lifecycle, logger, HTTP, auth) running the real
 * Namespace Transfer plugin, with an in-memory catalog and an allow-all permissions service in place of
 * the catalog and permission backends. Notifications and signals use their services' default factories,
 * as in a portal without those backends installed: the plugin's notices log a failed send and go on.
 * Started with `node --import tsx workerBackend.ts --config <file>`; a SIGTERM is Backstage's graceful
 * shutdown (the worker hands over), a SIGKILL a crash, a SIGSTOP a process that stops answering.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { namespaceTransferPlugin } from '../../plugin';

/** the line the parent waits for before it approves anything: the backend started, its worker claims */
const STARTED_LINE = 'WORKER-BACKEND-STARTED';

/** The entities the process tests' transfers name, owned as the demo's are. */
function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': 'shop',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:shop' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/shop' }],
  };
}

/**
 * Every permission allowed: the plugin's own ownership rules still decide who may approve (an allow-all
 * policy makes no one an approver), and these tests approve through the store anyway.
 */
const allowAllPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  }),
});

async function main() {
  const backend = createBackend();
  backend.add(
    catalogServiceMock.factory({
      entities: [component('shop'), component('shop-next')],
    }),
  );
  backend.add(allowAllPermissions);
  backend.add(namespaceTransferPlugin);
  // resolves once every plugin's start-up hooks ran: the worker has started claiming
  await backend.start();
  process.stdout.write(`${STARTED_LINE}\n`);
}

main().catch(e => {
  process.stderr.write(`backend failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
