/*
 * Issue 16's workflow end to end through the plugin's HTTP API, with its real worker, engine and janitor, on
 * two kube-sim clusters moving real files: request → approve → run → succeeded with the data verified at
 * the destination; a batch of a namespace of two teams; reject; expire; cancel while running; retry after
 * an injected fault; stage and cut over (on request and at a time); a plan that changed before the start;
 * and afterwards no secret in any table of the plugin's database. Everything a person does goes through
 * HTTP as that person; the test reads the clusters and the database only to check what was left.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { SimWorld } from 'kube-sim';
import { findSecret } from './store/secrets';
import { eventually } from './worker/__testUtils__/fakeEngine';
import {
  checksums,
  createWorkload,
  leftovers,
  replicasOf,
  volumeDir,
} from './worker/__testUtils__/kubesim';
import { ID, ROLES } from './service/__testUtils__/pluginWorld';
import {
  apiOf,
  eventsOf,
  forceStop,
  inState,
  LEDGER_TEAM,
  noticesOf,
  PAYMENTS_TEAM,
  paymentsClaim,
  phasesOf,
  podsOf,
  slowToStopApp,
  startWorkflowPlugin,
  startWorkflowWorld,
  stateChanges,
  transferOf,
  writeAsApp,
  type Api,
  type WorkflowPlugin,
} from './service/__testUtils__/workflowWorld';

jest.setTimeout(300_000);

const DESTINATION = 'component:default/payments-next';
const DEST_NS = 'payments-next';
const ALICE = ROLES.requester;
const BOB = ROLES.sourceOwner;

let world: SimWorld;
let east: KubeConfig;
let west: KubeConfig;
let plugin: WorkflowPlugin;
let api: Api;

beforeAll(async () => {
  world = await startWorkflowWorld();
  east = world.cluster('east').kubeConfig();
  west = world.cluster('west').kubeConfig();
  plugin = await startWorkflowPlugin(world, {
    worker: {
      enabled: true,
      leaseDuration: '20s',
      pollInterval: '500ms',
      progressSampleInterval: '1s',
      outageBudget: '30s',
    },
  });
  api = apiOf(plugin.server);
});

afterAll(async () => {
  await plugin?.stop();
  await world?.stop();
});

/** alice (owner of payments-next) asks for claim `claim` of east/payments; the created transfer. */
async function requested(
  claim: string,
  extra: Record<string, unknown> = {},
  through: Api = api,
) {
  const res = await through.post('requester', '/transfers', {
    source: { cluster: 'east', namespace: 'payments', claim },
    destination: { entityRef: DESTINATION },
    options: { verify: 'full' },
    ...extra,
  });
  expect([res.status, res.body.error?.message]).toEqual([201, undefined]);
  return res.body;
}

/** bob, of the team owning payments-db, approves it. */
async function approved(id: string) {
  const res = await api.post('sourceOwner', `/transfers/${id}/approve`, {
    comment: 'go ahead',
  });
  expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
  return res.body;
}

const destinationClaim = (name: string) =>
  west
    .makeApiClient(CoreV1Api)
    .readNamespacedPersistentVolumeClaim({ namespace: DEST_NS, name })
    .catch((e: { code?: number }) => {
      if (e.code === 404) return undefined;
      throw e;
    });

/** What the engine labelled with this attempt's id on either cluster (claims too when asked). */
const nothingLeft = async (engineId: string, o: { pvcs?: boolean } = {}) => [
  ...(await leftovers(east, 'payments', engineId, o)),
  ...(await leftovers(east, 'shop', engineId, o)),
  ...(await leftovers(west, DEST_NS, engineId, o)),
];

/** The notifications of one transfer as `to: title`, once `count` of them were sent. */
const noticesOfTransfer = (id: string, count: number) =>
  eventually(async () => {
    const n = noticesOf(plugin.sent, id);
    return n.length >= count && n;
  }, `${count} notifications of ${id}`);

it('runs a request approved by the source owner to succeeded: data verified, destination labelled, events in order, people told', async () => {
  const src = await paymentsClaim(world, 'invoices');
  const expected = checksums(src);
  const t = await requested('invoices');
  expect(t).toMatchObject({
    state: 'pending-approval',
    requester: ALICE,
    source: { entityRef: 'component:default/payments-db' },
    destination: {
      cluster: 'west',
      namespace: DEST_NS,
      claim: 'invoices',
      entityRef: DESTINATION,
    },
  });
  expect(await approved(t.id)).toMatchObject({
    state: 'approved',
    approvedBy: [BOB],
  });

  const done = await inState(api, t.id, 'succeeded', 'failed', 'cancelled');
  expect(done.error).toBeUndefined();
  expect(done).toMatchObject({
    state: 'succeeded',
    phase: 'Succeeded',
    chosenMode: 'copy',
    attempt: 1,
  });
  expect(checksums(await volumeDir(west, DEST_NS, 'invoices'))).toEqual(
    expected,
  );
  // the destination claim appears under the destination entity
  expect((await destinationClaim('invoices'))?.metadata?.labels).toMatchObject({
    [ID]: 'payments-next',
  });
  expect(await nothingLeft(done.engineTransferId)).toEqual([]);

  const events = await eventsOf(api, t.id);
  expect(stateChanges(events)).toEqual([
    '>pending-approval:request',
    'pending-approval>approved:approve',
    'approved>running:start',
    'running>succeeded:succeed',
  ]);
  const phases = phasesOf(events);
  expect(phases).toEqual(
    expect.arrayContaining(['Provisioning', 'Syncing', 'Verifying']),
  );
  expect(phases.indexOf('Syncing')).toBeLessThan(phases.indexOf('Verifying'));
  expect(phases).not.toContain('RollingBack');
  // the event ids are the log's order
  const ids = events.map(e => BigInt(e.id));
  expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);

  const listed = await api.get('requester', '/transfers');
  expect(listed.status).toBe(200);
  expect(listed.body.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: t.id, state: 'succeeded' }),
    ]),
  );
  // the owners were asked, the requester heard of the approval and the end
  expect(await noticesOfTransfer(t.id, 3)).toEqual([
    { to: [PAYMENTS_TEAM], title: expect.stringMatching(/^Approve /) },
    { to: [ALICE], title: expect.stringMatching(/^Approved: /) },
    { to: [ALICE], title: expect.stringMatching(/^Done: /) },
  ]);
});

it('runs a batch of a namespace of two teams claim by claim, each once its own owners approve', async () => {
  const sources = {
    orders: checksums(await volumeDir(east, 'shop', 'orders')),
    ledger: checksums(await volumeDir(east, 'shop', 'ledger')),
  };
  const res = await api.post('requester', '/batches', {
    source: { cluster: 'east', namespace: 'shop' },
    destination: { entityRef: DESTINATION },
    options: { verify: 'full' },
  });
  expect([res.status, res.body.error?.message]).toEqual([201, undefined]);
  const byClaim = Object.fromEntries(
    res.body.transfers.map((t: any) => [t.source.claim, t]),
  );
  expect(Object.keys(byClaim).sort()).toEqual(['ledger', 'orders']);
  const { orders, ledger } = byClaim;
  expect(orders.source.entityRef).toBe('component:default/shop-orders');
  expect(ledger.source.entityRef).toBe('component:default/shop-ledger');

  // each owner finds only their own claim waiting for them
  const pending = async (who: 'sourceOwner' | 'ledgerOwner') =>
    (await api.get(who, '/approvals/pending')).body.items.map((t: any) => t.id);
  expect(await pending('sourceOwner')).toEqual([orders.id]);
  expect(await pending('ledgerOwner')).toEqual([ledger.id]);

  // neither owner may decide the other's claim: it is not theirs to read (404, its existence not shown);
  // the destination's owner, who may read it, is refused for not owning its source (403)
  const approve = (
    who: 'sourceOwner' | 'ledgerOwner' | 'destinationOwner',
    id: string,
  ) => api.post(who, `/transfers/${id}/approve`);
  expect((await approve('ledgerOwner', orders.id)).status).toBe(404);
  expect((await approve('sourceOwner', ledger.id)).status).toBe(404);
  const refused = await approve('destinationOwner', ledger.id);
  expect([refused.status, refused.body.error?.message]).toEqual([
    403,
    expect.stringMatching(/do not own the source/),
  ]);

  expect((await approve('sourceOwner', orders.id)).status).toBe(200);
  const ordersDone = await inState(api, orders.id, 'succeeded', 'failed');
  expect(ordersDone.error).toBeUndefined();
  expect(ordersDone.state).toBe('succeeded');
  // the other claim still waits for its own owners
  expect(await transferOf(api, ledger.id)).toMatchObject({
    state: 'pending-approval',
    approvedBy: [],
  });
  expect(await destinationClaim('ledger')).toBeUndefined();

  expect((await approve('ledgerOwner', ledger.id)).status).toBe(200);
  const ledgerDone = await inState(api, ledger.id, 'succeeded', 'failed');
  expect(ledgerDone.error).toBeUndefined();
  expect(ledgerDone).toMatchObject({
    state: 'succeeded',
    approvedBy: ['user:default/erin'],
  });
  expect(checksums(await volumeDir(west, DEST_NS, 'orders'))).toEqual(
    sources.orders,
  );
  expect(checksums(await volumeDir(west, DEST_NS, 'ledger'))).toEqual(
    sources.ledger,
  );
  for (const t of [ordersDone, ledgerDone])
    expect(await nothingLeft(t.engineTransferId)).toEqual([]);
  // each team was asked about its own claim only
  const asked = plugin.sent
    .filter(n => n.payload.scope?.includes(res.body.batch.id))
    .map(n => n.recipients.type === 'entity' && n.recipients.entityRef);
  expect(asked.flat().sort()).toEqual([LEDGER_TEAM, PAYMENTS_TEAM]);
});

it('rejects: nothing created on the destination, and a rejected request cannot then be approved', async () => {
  await paymentsClaim(world, 'refunds');
  const t = await requested('refunds');
  const rejected = await api.post('sourceOwner', `/transfers/${t.id}/reject`, {
    comment: 'not this quarter',
  });
  expect([rejected.status, rejected.body.state]).toEqual([200, 'rejected']);
  const late = await api.post('sourceOwner', `/transfers/${t.id}/approve`);
  expect([late.status, late.body.error?.message]).toEqual([
    409,
    expect.stringMatching(/the transfer is rejected/),
  ]);
  expect(await transferOf(api, t.id)).toMatchObject({ state: 'rejected' });
  expect(await destinationClaim('refunds')).toBeUndefined();
  expect(await nothingLeft(t.engineTransferId, { pvcs: true })).toEqual([]);
  expect(stateChanges(await eventsOf(api, t.id))).toEqual([
    '>pending-approval:request',
    'pending-approval>rejected:reject',
  ]);
  expect(await noticesOfTransfer(t.id, 2)).toEqual([
    { to: [PAYMENTS_TEAM], title: expect.stringMatching(/^Approve /) },
    { to: [ALICE], title: expect.stringMatching(/^Rejected: /) },
  ]);
});

describe('with a short expiry', () => {
  // a backend of its own: a few seconds to decide would expire the other tests' requests
  let expiring: WorkflowPlugin;
  let expiringApi: Api;

  beforeAll(async () => {
    expiring = await startWorkflowPlugin(world, {
      approvals: { expireAfter: '2s' },
      // the janitor runs every half lease: 1.5 s
      worker: { enabled: false, leaseDuration: '3s' },
    });
    expiringApi = apiOf(expiring.server);
  });

  afterAll(async () => {
    await expiring?.stop();
  });

  it('expires an undecided request on the janitor’s own schedule; it cannot then be approved', async () => {
    await paymentsClaim(world, 'receipts');
    const t = await requested('receipts', {}, expiringApi);
    const expired = await eventually(
      async () => {
        const now = await transferOf(expiringApi, t.id);
        return now.state === 'expired' && now;
      },
      `transfer ${t.id} to expire`,
      60_000,
    );
    expect(expired.approvedBy).toEqual([]);
    const late = await expiringApi.post(
      'sourceOwner',
      `/transfers/${t.id}/approve`,
    );
    expect([late.status, late.body.error?.message]).toEqual([
      409,
      expect.stringMatching(/the transfer is expired/),
    ]);
    expect(stateChanges(await eventsOf(expiringApi, t.id))).toEqual([
      '>pending-approval:request',
      'pending-approval>expired:expire',
    ]);
    expect(await destinationClaim('receipts')).toBeUndefined();
    const told = await eventually(async () => {
      const n = noticesOf(expiring.sent, t.id);
      return n.length >= 2 && n;
    }, 'the expiry notice');
    expect(told).toEqual([
      { to: [PAYMENTS_TEAM], title: expect.stringMatching(/^Approve /) },
      { to: [ALICE], title: expect.stringMatching(/^Expired: /) },
    ]);
    expect((await storedSecrets(expiring)).found).toEqual([]);
  });
});

it('cancels a running transfer: rolled back, the application back at its replicas, the source intact, nothing left', async () => {
  const src = await paymentsClaim(world, 'carts');
  const before = checksums(src);
  await slowToStopApp(east, 'payments', 'carts-app', 'carts');
  await eventually(
    async () =>
      (await podsOf(east, 'payments', 'carts-app')).some(
        p => p.status?.phase === 'Running',
      ),
    'the application to run',
    60_000,
  );
  try {
    const t = await requested('carts');
    await approved(t.id);
    // the application, told to stop, does not: the run waits in Quiescing, observably
    await eventually(
      async () => {
        const now = await transferOf(api, t.id);
        const pods = await podsOf(east, 'payments', 'carts-app');
        return (
          now.state === 'running' &&
          now.phase === 'Quiescing' &&
          pods.length > 0 &&
          pods.every(p => p.metadata?.deletionTimestamp)
        );
      },
      'the transfer to wait for the application to stop',
      120_000,
    );
    const cancel = await api.post('requester', `/transfers/${t.id}/cancel`, {
      comment: 'wrong claim',
    });
    expect([cancel.status, cancel.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    expect(cancel.body).toMatchObject({
      state: 'running',
      cancelRequested: true,
    });
    const done = await inState(api, t.id, 'cancelled', 'failed', 'succeeded');
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('cancelled');
    expect(await replicasOf(east, 'payments', 'carts-app')).toBe(1);
    expect(checksums(src)).toEqual(before);
    expect(await destinationClaim('carts')).toBeUndefined();
    expect(await nothingLeft(done.engineTransferId, { pvcs: true })).toEqual(
      [],
    );
    const events = await eventsOf(api, t.id);
    expect(phasesOf(events)).toContain('RollingBack');
    expect(stateChanges(events).slice(-2)).toEqual([
      'running>running:cancel',
      'running>cancelled:roll-back',
    ]);
    expect((await noticesOfTransfer(t.id, 3)).slice(-1)).toEqual([
      { to: [ALICE], title: expect.stringMatching(/^Cancelled: /) },
    ]);
  } finally {
    await forceStop(east, 'payments', 'carts-app');
  }
});

it('retries a transfer that failed on an injected fault: a new attempt with its own engine id succeeds, the history kept', async () => {
  const src = await paymentsClaim(world, 'audit-log');
  const expected = checksums(src);
  // the destination refuses the engine's server pod once (the engine's identity in pluginWorld: 'engine')
  const fault = world.cluster('west').apiServer.faults.add({
    user: 'engine',
    verb: 'create',
    resource: 'pods',
    namespace: DEST_NS,
    status: 403,
    count: 1,
  });
  try {
    const t = await requested('audit-log');
    await approved(t.id);
    const failed = await inState(api, t.id, 'failed', 'succeeded');
    expect(fault.hits).toBe(1);
    expect(failed).toMatchObject({
      state: 'failed',
      attempt: 1,
      pastPointOfNoReturn: false,
      error: expect.stringMatching(/forbidden|403/i),
    });
    expect(await nothingLeft(failed.engineTransferId, { pvcs: true })).toEqual(
      [],
    );

    const retry = await api.post('requester', `/transfers/${t.id}/retry`);
    expect([retry.status, retry.body.error?.message]).toEqual([200, undefined]);
    expect(retry.body).toMatchObject({ state: 'approved', attempt: 2 });
    expect(retry.body.engineTransferId).not.toBe(failed.engineTransferId);
    const done = await inState(api, t.id, 'succeeded', 'failed');
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({ state: 'succeeded', attempt: 2 });
    expect(checksums(await volumeDir(west, DEST_NS, 'audit-log'))).toEqual(
      expected,
    );
    expect(await nothingLeft(done.engineTransferId)).toEqual([]);

    const events = await eventsOf(api, t.id);
    expect(stateChanges(events)).toEqual([
      '>pending-approval:request',
      'pending-approval>approved:approve',
      'approved>running:start',
      'running>failed:fail',
      'failed>approved:retry',
      'approved>running:start',
      'running>succeeded:succeed',
    ]);
    const change = (action: string) =>
      events.find(e => e.kind === 'state' && e.payload.action === action)!
        .payload;
    expect(change('fail')).toMatchObject({ attempt: 1 });
    expect(change('retry')).toMatchObject({
      attempt: 2,
      engineTransferId: done.engineTransferId,
    });
    expect(change('succeed')).toMatchObject({ attempt: 2 });
    // the failed attempt's phases stay in the log before the new attempt's
    expect(
      phasesOf(events).filter(p => p === 'Provisioning').length,
    ).toBeGreaterThanOrEqual(2);
    expect(await noticesOfTransfer(t.id, 4)).toEqual([
      { to: [PAYMENTS_TEAM], title: expect.stringMatching(/^Approve /) },
      { to: [ALICE], title: expect.stringMatching(/^Approved: /) },
      { to: [ALICE, BOB], title: expect.stringMatching(/^Failed: /) },
      { to: [ALICE], title: expect.stringMatching(/^Done: /) },
    ]);
  } finally {
    fault.remove();
  }
});

it('stages while the application runs, then cuts over when asked and, for another request, at its time', async () => {
  const src = await paymentsClaim(world, 'catalog');
  await createWorkload(east, 'payments', 'catalog-app', 'catalog', 1001);
  const timedSrc = await paymentsClaim(world, 'pricing');
  const staged = { verify: 'full', stage: true };
  const t = await requested('catalog', { options: staged });
  // a few seconds ahead: it stages first, and then cuts over without anyone asking
  const cutoverAt = new Date(Date.now() + 15_000);
  const timed = await requested('pricing', {
    options: staged,
    cutoverAt: cutoverAt.toISOString(),
  });
  await approved(t.id);
  await approved(timed.id);

  const waiting = await inState(api, t.id, 'staged', 'failed');
  expect(waiting.error).toBeUndefined();
  expect(waiting.state).toBe('staged');
  // staged: the application still runs and the data is at the destination already
  expect(await replicasOf(east, 'payments', 'catalog-app')).toBe(1);
  expect(checksums(await volumeDir(west, DEST_NS, 'catalog'))).toEqual(
    checksums(src),
  );
  writeAsApp(src, 'late.txt', 'written while staged');
  const cut = await api.post('requester', `/transfers/${t.id}/cutover`);
  expect([cut.status, cut.body.error?.message]).toEqual([200, undefined]);
  const done = await inState(api, t.id, 'succeeded', 'failed');
  expect(done.error).toBeUndefined();
  expect(done.state).toBe('succeeded');
  const moved = checksums(await volumeDir(west, DEST_NS, 'catalog'));
  expect(moved['late.txt']).toBeDefined();
  expect(moved).toEqual(checksums(src));
  // a move keeps the source application stopped
  expect(await replicasOf(east, 'payments', 'catalog-app')).toBe(0);
  expect(await nothingLeft(done.engineTransferId)).toEqual([]);
  expect(stateChanges(await eventsOf(api, t.id))).toEqual([
    '>pending-approval:request',
    'pending-approval>approved:approve',
    'approved>running:start',
    'running>staged:stage',
    'staged>staged:cutover',
    'staged>running:start',
    'running>succeeded:succeed',
  ]);

  const timedDone = await inState(api, timed.id, 'succeeded', 'failed');
  expect(timedDone.error).toBeUndefined();
  expect(timedDone.state).toBe('succeeded');
  expect(checksums(await volumeDir(west, DEST_NS, 'pricing'))).toEqual(
    checksums(timedSrc),
  );
  const timedEvents = await eventsOf(api, timed.id);
  // nobody cut it over: it left staged on its own, not before its time
  expect(stateChanges(timedEvents)).toEqual([
    '>pending-approval:request',
    'pending-approval>approved:approve',
    'approved>running:start',
    'running>staged:stage',
    'staged>running:start',
    'running>succeeded:succeed',
  ]);
  const cutStart = timedEvents.filter(
    e => e.kind === 'state' && e.payload.from === 'staged',
  )[0] as any;
  expect(new Date(cutStart.at).getTime()).toBeGreaterThanOrEqual(
    cutoverAt.getTime(),
  );
  expect(await nothingLeft(timedDone.engineTransferId)).toEqual([]);
});

it('counts what the stage moved as the attempt’s bytes after a cut-over whose final sync finds nothing changed: on the transfer and per day', async () => {
  const src = await paymentsClaim(world, 'ledger-archive', 8);
  const sourceBytes = Object.keys(checksums(src)).reduce(
    (n, f) => n + statSync(join(src, f)).size,
    0,
  );
  const movedPerDay = async () => {
    const day = 86_400_000;
    const from = new Date(Date.now() - day).toISOString();
    const to = new Date(Date.now() + day).toISOString();
    const res = await api.get(
      'admin',
      `/stats/bytes-per-day?from=${from}&to=${to}`,
    );
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    return (res.body.days as Array<{ bytes: number }>).reduce(
      (n, d) => n + d.bytes,
      0,
    );
  };
  const t = await requested('ledger-archive', {
    intent: 'clone',
    options: { verify: 'full', stage: true },
  });
  await approved(t.id);
  const staged = await inState(api, t.id, 'staged', 'failed');
  expect(staged.error).toBeUndefined();
  expect(staged.progress.bytesDone).toBeGreaterThanOrEqual(sourceBytes);
  const before = await movedPerDay();

  // nothing written while staged: the cut-over's final sync moves nothing
  const cut = await api.post('requester', `/transfers/${t.id}/cutover`);
  expect([cut.status, cut.body.error?.message]).toEqual([200, undefined]);
  const done = await inState(api, t.id, 'succeeded', 'failed');
  expect(done.error).toBeUndefined();
  expect(checksums(await volumeDir(west, DEST_NS, 'ledger-archive'))).toEqual(
    checksums(src),
  );
  expect(done.progress.bytesDone).toBeGreaterThanOrEqual(sourceBytes);
  expect(done.progress.bytesTotal).toBe(done.progress.bytesDone);
  expect((await movedPerDay()) - before).toBe(done.progress.bytesDone);
});

it('asks the owners again when the plan changed between request and start, creating nothing', async () => {
  await paymentsClaim(world, 'reports');
  const t = await requested('reports');
  expect(t.plan.workloads).toEqual([]);
  // an application that uses the claim appears after the request, before the worker starts it
  await createWorkload(east, 'payments', 'reports-app', 'reports', 1001);
  await approved(t.id);
  const asked = await eventually(
    async () => {
      const events = await eventsOf(api, t.id);
      return events.find(
        e => e.kind === 'state' && e.payload.action === 'ask-again',
      );
    },
    'the worker to ask again',
    120_000,
  );
  expect(asked.payload.details).toEqual({
    planChanges: expect.arrayContaining([
      expect.stringMatching(
        /Deployment payments\/reports-app now uses the claim/,
      ),
    ]),
  });
  const back = await transferOf(api, t.id);
  expect(back).toMatchObject({ state: 'pending-approval', approvedBy: [] });
  // the owners now decide on the fresh plan, which stops the application
  expect(back.plan.workloads).toEqual([
    expect.objectContaining({ kind: 'Deployment', name: 'reports-app' }),
  ]);
  expect(await destinationClaim('reports')).toBeUndefined();
  expect(await nothingLeft(back.engineTransferId, { pvcs: true })).toEqual([]);
  expect(await replicasOf(east, 'payments', 'reports-app')).toBe(1);
  const told = await noticesOfTransfer(t.id, 4);
  expect(told.slice(0, 2)).toEqual([
    { to: [PAYMENTS_TEAM], title: expect.stringMatching(/^Approve /) },
    { to: [ALICE], title: expect.stringMatching(/^Approved: /) },
  ]);
  // the owners' and the requester's notices of one change go out together, in either order
  expect(told.slice(2)).toHaveLength(2);
  expect(told.slice(2)).toEqual(
    expect.arrayContaining([
      {
        to: [PAYMENTS_TEAM],
        title: expect.stringMatching(/^The plan changed: approve .* again\?/),
      },
      { to: [ALICE], title: expect.stringMatching(/^Needs approval again: /) },
    ]),
  );
});

it('keeps no secret in any table of the plugin’s database after all these runs', async () => {
  const scan = await storedSecrets(plugin);
  expect(scan.tables).toEqual(
    expect.arrayContaining(['transfers', 'events', 'decisions', 'batches']),
  );
  // the runs really are in there: a few hundred events of nine transfers
  expect(scan.rows).toBeGreaterThan(100);
  expect(scan.found).toEqual([]);
});

/** Every row of every table, JSON columns read as JSON, through findSecret: where it found something. */
async function storedSecrets(p: WorkflowPlugin) {
  const tables: string[] = (
    await p.db('sqlite_master').where({ type: 'table' }).select('name')
  ).map((r: { name: string }) => r.name);
  const asJson = (v: unknown) => {
    if (typeof v !== 'string' || !/^[[{]/.test(v)) return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  let rows = 0;
  const found: string[] = [];
  for (const table of tables) {
    for (const row of await p.db(table).select('*')) {
      rows++;
      const where = findSecret(
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asJson(v)])),
      );
      if (where) found.push(`${table}: ${where}`);
    }
  }
  return { tables, rows, found };
}
