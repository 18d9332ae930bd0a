/**
 * The start-up checks against a real API server (kube-sim): each cluster is asked with its configured token
 * whether it answers and grants the read path's rights, and each that does not is logged by name with the
 * reason; a backend (startTestBackend, a plugin wired as plugin.ts is) starts all the same, while a config
 * value the schema refuses, a malformed cluster entry or a failed migration stops it with a message naming
 * the key or the cause and what to do.
 */
import { join } from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import {
  applyManifests,
  readManifests,
  startClusters,
  type SimCluster,
  type SimWorld,
} from 'kube-sim';
import { ClusterRegistry, readClusterConfigs } from '../clusters';
import knexFactory from 'knex';
import { TransferStore } from '../store';
import { MIGRATIONS_DIRECTORY } from '../store/migrate';
import {
  checkConfigAgainstSchema,
  explainMigrationFailure,
  READ_PATH_RIGHTS,
  reportClusterAccess,
} from '.';

jest.setTimeout(120_000);

const DEPLOY_RBAC = join(__dirname, '../../../../deploy/rbac');
const SYSTEM_NS = 'namespace-transfer-system';

let world: SimWorld;
let east: SimCluster;
const tokens: Record<string, string> = {};

const clusterEntry = (name: string, token: string, url = east.server) => ({
  name,
  url,
  authProvider: 'serviceAccount',
  serviceAccountToken: token,
  caData: east.caData,
});

const configOf = (clusters: object[], namespaceTransfer: object = {}) => ({
  namespaceTransfer,
  kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
});

beforeAll(async () => {
  world = await startClusters([{ name: 'east' }]);
  east = world.cluster('east');
  const admin = east.kubeConfig();
  await admin
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: SYSTEM_NS } } });
  const reader = (
    await readManifests(join(DEPLOY_RBAC, 'namespace-transfer-reader.yaml'))
  )[0];
  const bind = (sa: string, role: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${role}-${sa}` },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role,
    },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: SYSTEM_NS }],
  });
  await applyManifests(admin, [
    reader,
    bind('namespace-transfer', 'namespace-transfer-reader'),
    // a role that grants one of the read path's rights and none of the others
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'claims-only' },
      rules: [
        {
          apiGroups: [''],
          resources: ['persistentvolumeclaims'],
          verbs: ['list'],
        },
      ],
    },
    bind('claims-only', 'claims-only'),
  ] as KubernetesObject[]);
  for (const sa of ['namespace-transfer', 'claims-only', 'unbound'])
    tokens[sa] = east.serviceAccountKubeConfig(SYSTEM_NS, sa).token;
});

afterAll(async () => {
  await world?.stop();
});

describe('reportClusterAccess', () => {
  it('logs each cluster it cannot use by name and reason, and every right the read path misses, and never throws', async () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader(
      configOf([
        clusterEntry('good', tokens['namespace-transfer']),
        clusterEntry('partial', tokens['claims-only']),
        clusterEntry('unbound', tokens.unbound),
        clusterEntry('stale-token', 'not-a-token-of-this-cluster'),
        // nothing listens on port 1 of the loopback
        clusterEntry(
          'down',
          tokens['namespace-transfer'],
          'https://127.0.0.1:1',
        ),
      ]),
    );
    const registry = new ClusterRegistry(readClusterConfigs(config));
    const report = await reportClusterAccess(registry, logger, {
      timeoutMs: 20_000,
    });

    const user = (sa: string) => `system:serviceaccount:${SYSTEM_NS}:${sa}`;
    const everyRight = READ_PATH_RIGHTS.map(r =>
      r.group
        ? `${r.verb} ${r.resource}.${r.group}`
        : `${r.verb} ${r.resource}`,
    );
    expect(report).toEqual([
      { cluster: 'good', user: user('namespace-transfer'), missing: [] },
      {
        cluster: 'partial',
        user: user('claims-only'),
        missing: everyRight.filter(r => r !== 'list persistentvolumeclaims'),
      },
      { cluster: 'unbound', user: user('unbound'), missing: everyRight },
      {
        cluster: 'stale-token',
        missing: [],
        problem: expect.stringContaining(
          "Cluster 'stale-token' refused the configured service account token (401 Unauthorized)",
        ),
      },
      {
        cluster: 'down',
        missing: [],
        problem: "Cluster 'down' is unreachable (ECONNREFUSED)",
      },
    ]);

    const warned = (logger.warn as jest.Mock).mock.calls.map(c => c[0]);
    expect(warned).toHaveLength(4);
    expect(warned).toContain(
      `namespace-transfer: on cluster 'partial' the configured token (${user('claims-only')}) may not ` +
        `list pods, get namespaces, list deployments.apps, list replicasets.apps, list statefulsets.apps, ` +
        `list daemonsets.apps, list jobs.batch, list cronjobs.batch (cluster-wide), which listing an entity's ` +
        `volumes needs: bind the ClusterRole namespace-transfer-reader of deploy/rbac to it ` +
        `(kubectl apply -k deploy/ does). The backend starts; volumes of that cluster fail until then.`,
    );
    expect(warned).toContain(
      "namespace-transfer: cluster 'down' cannot be used; the backend starts without it: Cluster 'down' is unreachable (ECONNREFUSED)",
    );
    // no token in any line
    for (const line of [
      ...warned,
      ...(logger.info as jest.Mock).mock.calls.map(c => c[0]),
    ])
      for (const token of Object.values(tokens))
        expect(line).not.toContain(token);
    expect(logger.info).toHaveBeenCalledWith(
      `namespace-transfer: cluster 'good' answers and grants ${user('namespace-transfer')} what listing volumes needs`,
    );
  });
});

/** A plugin whose start-up runs the checks as README.md of this folder has plugin.ts run them. */
const startupPlugin = (reported: (access: unknown) => void) =>
  createBackendPlugin({
    pluginId: 'namespace-transfer',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          database: coreServices.database,
        },
        async init({ config, logger, database }) {
          await checkConfigAgainstSchema(config);
          const registry = new ClusterRegistry(
            readClusterConfigs(config, logger),
          );
          reportClusterAccess(registry, logger).then(reported);
          await explainMigrationFailure(() => TransferStore.create(database));
        },
      });
    },
  });

describe('a backend starting with the checks', () => {
  it('starts with a cluster that is down, and reports it', async () => {
    let reported: unknown;
    const backend = await startTestBackend({
      features: [
        startupPlugin(access => {
          reported = access;
        }),
        mockServices.rootConfig.factory({
          data: configOf([
            clusterEntry('good', tokens['namespace-transfer']),
            clusterEntry('down', 'x', 'https://127.0.0.1:1'),
          ]),
        }),
      ],
    });
    try {
      // started: the report comes after, from the clusters
      const deadline = Date.now() + 30_000;
      while (!reported && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 100));
      expect(reported).toEqual([
        expect.objectContaining({ cluster: 'good', missing: [] }),
        expect.objectContaining({
          cluster: 'down',
          problem: "Cluster 'down' is unreachable (ECONNREFUSED)",
        }),
      ]);
    } finally {
      await backend.stop();
    }
  });

  /** the message a backend with the checks stops with (or 'started') */
  async function startupOutcome(
    data: object,
    database?: ReturnType<typeof mockServices.database.factory>,
  ): Promise<string> {
    return startTestBackend({
      features: [
        startupPlugin(() => {}),
        mockServices.rootConfig.factory({ data }),
        ...(database ? [database] : []),
      ],
    }).then(
      async backend => {
        await backend.stop();
        return 'started';
      },
      (e: Error) => e.message,
    );
  }

  it('does not start with a malformed cluster entry, and says which entry and what to set', async () => {
    const outcome = await startupOutcome(
      configOf([{ ...clusterEntry('east', 'x'), authProvider: 'google' }]),
    );
    expect(outcome).toContain(
      "Cluster 'east' uses authProvider 'google' (kubernetes.clusterLocatorMethods[0].clusters[0].authProvider); namespace-transfer supports only 'serviceAccount'",
    );
  });

  it('does not start on a database a newer version migrated, and says what to run', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    try {
      await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
      await knex('knex_migrations').insert({
        name: '29991231000000_from_a_later_version.js',
        batch: 2,
        migration_time: new Date(),
      });
      const outcome = await startupOutcome(
        configOf([]),
        mockServices.database.factory({ knex }),
      );
      expect(outcome).toContain(
        'Namespace Transfer cannot start: its database was migrated by a newer version of the plugin',
      );
    } finally {
      await knex.destroy();
    }
  });

  it('does not start with an option value the config schema refuses, and says which key', async () => {
    const outcome = await startupOutcome(
      configOf([], { defaults: { mode: 'fast' } }),
    );
    expect(outcome).toContain(
      'namespaceTransfer.defaults.mode: must be one of auto, copy, rebind (got "fast")',
    );
  });
});
