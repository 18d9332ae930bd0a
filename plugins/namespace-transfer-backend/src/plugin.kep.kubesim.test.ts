/*
 * Issue 18's "one audit trail" end to end: the plugin with namespaceTransfer.kep enabling the KEP controller
 * on east, a NamespaceTransferRequest and its approval made with the Kubernetes API (the CRDs of deploy/
 * applied through the API), and the transfer the controller runs listed by the backend's API as requested
 * through Kubernetes, with its events, no action to take in the portal, and never claimed by the worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  loadAllYaml,
  StorageV1Api,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import type { SimWorld } from 'kube-sim';
import {
  KEP_GROUP,
  KEP_VERSION,
  type NamespaceTransferRequest,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { ID, startWorld } from './service/__testUtils__/pluginWorld';
import {
  apiOf,
  eventsOf,
  phasesOf,
  startWorkflowPlugin,
  stateChanges,
  type Api,
  type WorkflowPlugin,
} from './service/__testUtils__/workflowWorld';
import { eventually } from './worker/__testUtils__/fakeEngine';
import { ensureNamespace, volumeDir } from './worker/__testUtils__/kubesim';

jest.setTimeout(300_000);

const CRDS = join(__dirname, '../../../deploy/crds');
const LEASES = 'namespace-transfer-system';
const SOURCE_NS = 'payments';
const DEST_NS = 'payments-next';

let world: SimWorld;
let east: KubeConfig;
let plugin: WorkflowPlugin;
let api: Api;

/** The KEP's CRDs as `kubectl apply -k deploy/crds` would create them (through the API: schemas validate). */
async function applyCrds(kc: KubeConfig) {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (const file of readdirSync(CRDS)) {
    for (const doc of loadAllYaml(readFileSync(join(CRDS, file), 'utf8'))) {
      if ((doc as { kind?: string })?.kind !== 'CustomResourceDefinition')
        continue;
      await ext.createCustomResourceDefinition({
        body: doc as V1CustomResourceDefinition,
      });
    }
  }
}

/** A storage class that allows rebind, and a bound claim of payments-db in it. */
async function movableClaim(kc: KubeConfig, name: string) {
  await kc.makeApiClient(StorageV1Api).createStorageClass({
    body: {
      metadata: {
        name: 'movable',
        annotations: { 'namespace-transfer.io/allow-transfer': 'true' },
      },
      provisioner: 'kube-sim.io/hostpath',
      volumeBindingMode: 'Immediate',
      reclaimPolicy: 'Delete',
    },
  });
  await kc.makeApiClient(CoreV1Api).createNamespacedPersistentVolumeClaim({
    namespace: SOURCE_NS,
    body: {
      metadata: { name, labels: { [ID]: 'payments-db' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'movable',
        resources: { requests: { storage: '1Gi' } },
      },
    },
  });
  await volumeDir(kc, SOURCE_NS, name);
}

const kep = () => east.makeApiClient(CustomObjectsApi);
const create = (plural: string, namespace: string, body: object) =>
  kep().createNamespacedCustomObject({
    group: KEP_GROUP,
    version: KEP_VERSION,
    plural,
    namespace,
    body,
  });

beforeAll(async () => {
  world = await startWorld();
  east = world.cluster('east').kubeConfig();
  await applyCrds(east);
  await ensureNamespace(east, DEST_NS);
  await ensureNamespace(east, LEASES);
  await movableClaim(east, 'ledger');
  plugin = await startWorkflowPlugin(world, {
    // the worker runs too: it must leave the controller's transfer alone
    worker: { enabled: true, pollInterval: '500ms', leaseDuration: '20s' },
    kep: { clusters: ['east'], leaseNamespace: LEASES },
  });
  api = apiOf(plugin.server);
});

afterAll(async () => {
  await plugin?.stop();
  await world?.stop();
});

it('records a transfer requested with the Kubernetes API: listed as such, succeeded with its events, no portal action, never the worker’s', async () => {
  await create('namespacetransferapprovals', SOURCE_NS, {
    apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
    kind: 'NamespaceTransferApproval',
    metadata: { name: 'allow-ledger' },
    spec: {
      source: { name: 'ledger', kind: 'PersistentVolumeClaim' },
      targetNamespace: DEST_NS,
    },
  });
  await create('namespacetransferrequests', DEST_NS, {
    apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
    kind: 'NamespaceTransferRequest',
    metadata: { name: 'move-ledger' },
    spec: {
      source: {
        name: 'ledger',
        namespace: SOURCE_NS,
        kind: 'PersistentVolumeClaim',
      },
    },
  });

  const request = await eventually(
    async () => {
      const r = (await kep().getNamespacedCustomObject({
        group: KEP_GROUP,
        version: KEP_VERSION,
        plural: 'namespacetransferrequests',
        namespace: DEST_NS,
        name: 'move-ledger',
      })) as NamespaceTransferRequest;
      return ['Succeeded', 'Failed'].includes(r.status?.phase ?? '') && r;
    },
    'the request to end',
    120_000,
  );
  if (request.status?.phase !== 'Succeeded')
    throw new Error(`the request failed: ${JSON.stringify(request.status)}`);

  // the admin reads every transfer; the recorder may write the end a moment after the status
  const transfer = await eventually(
    async () => {
      const res = await api.get('admin', '/transfers?requestedVia=kubernetes');
      expect(res.status).toBe(200);
      const [t] = res.body.items;
      return t?.state === 'succeeded' && t;
    },
    'the transfer to be recorded as succeeded',
    30_000,
  );
  expect(transfer).toMatchObject({
    requestedVia: 'kubernetes',
    kubernetesRequest: {
      cluster: 'east',
      namespace: DEST_NS,
      name: 'move-ledger',
    },
    requester: `kubernetes:${DEST_NS}/move-ledger`,
    approvedBy: [`kubernetes:${SOURCE_NS}/allow-ledger`],
    source: {
      cluster: 'east',
      namespace: SOURCE_NS,
      claim: 'ledger',
      entityRef: 'component:default/payments-db',
    },
    destination: { cluster: 'east', namespace: DEST_NS, claim: 'ledger' },
    requestedMode: 'rebind',
    chosenMode: 'rebind',
    pastPointOfNoReturn: true,
    allowedActions: [],
  });
  const portal = await api.get('admin', '/transfers?requestedVia=portal');
  expect(portal.body.items).toEqual([]);

  // the requester of eventsOf owns neither side: the admin reads the log
  const log = await api.get(
    'admin',
    `/transfers/${transfer.id}/events?limit=1000`,
  );
  expect(log.status).toBe(200);
  const events: Awaited<ReturnType<typeof eventsOf>> = log.body.events;
  expect(stateChanges(events)).toEqual([
    '>running:start',
    'running>succeeded:succeed',
  ]);
  expect(phasesOf(events).length).toBeGreaterThan(0);
  expect(events.filter(e => e.kind === 'decision')).toEqual([
    expect.objectContaining({
      payload: expect.objectContaining({
        kind: 'approve',
        actor: `kubernetes:${SOURCE_NS}/allow-ledger`,
      }),
    }),
  ]);

  // the worker never held it: no lease ever, no take-over
  const row = await plugin.db('transfers').where({ id: transfer.id }).first();
  expect([row.lease_holder, Number(row.lease_epoch)]).toEqual([null, 0]);
  expect(
    events.filter(e => /taken over|lease/.test(String(e.payload.message))),
  ).toEqual([]);

  // the source's owner and the admin are told where it is managed
  for (const who of ['sourceOwner', 'admin'] as const) {
    const res = await api.post(who, `/transfers/${transfer.id}/cancel`);
    expect([res.status, res.body.error?.message]).toEqual([
      409,
      `cannot cancel: the transfer was requested through the Kubernetes API and is managed through its NamespaceTransferRequest in east ${DEST_NS}/move-ledger, not through the portal`,
    ]);
  }
  const approve = await api.post('admin', `/transfers/${transfer.id}/approve`);
  expect(approve.status).toBe(409);
});
