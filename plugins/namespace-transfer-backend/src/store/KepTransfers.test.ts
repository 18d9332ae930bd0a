import type { Knex } from 'knex';
import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { KepTransfer } from '@namespace-transfer/plugin-namespace-transfer-node';
import { TransferStore } from './TransferStore';
import { storeTestDatabases } from './__testUtils__/databases';
import { storeUnderTest } from './__testUtils__/storeUnderTest';
import { newTransfer } from './__testUtils__/transfers';

const databases = storeTestDatabases();
let serial = 0;

function kepTransfer(overrides: Partial<KepTransfer> = {}): KepTransfer {
  serial++;
  const uid = `0000-${serial}`;
  return {
    id: `kep-${uid}`,
    requestUid: uid,
    cluster: 'east',
    request: {
      namespace: 'payments-next',
      name: `move-${serial}`,
      creationTimestamp: '2026-12-01T09:00:00Z',
    },
    approval: { namespace: 'payments', name: `allow-${serial}`, uid: 'a-1' },
    source: { namespace: 'payments', name: 'db' },
    destination: { namespace: 'payments-next', name: 'db' },
    adopted: false,
    attempt: 1,
    ...overrides,
  };
}

const checkpoint = (
  t: KepTransfer,
  steps: string[],
  past = false,
): TransferCheckpoint => ({
  transferId: t.id,
  version: 1,
  phase: past ? 'Rebinding' : 'Quiescing',
  completedSteps: steps,
  state: {},
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...(past && { pastPointOfNoReturn: true }),
});

describe.each(databases.eachSupportedId())('KEP transfers on %s', id => {
  const env = storeUnderTest(databases, id);
  const { clock } = env;
  let db: Knex;
  let store: TransferStore;
  beforeAll(() => {
    ({ db, store } = env);
  });

  const events = async (transferId: string) =>
    (await store.readEvents({ transferId })).map(e => ({
      ...e.payload,
      event: e.kind,
    }));

  it('records a first attempt as a running transfer requested through Kubernetes, approved by the approval object', async () => {
    const t = kepTransfer();
    const { transfer, from } = await store.kep.recordStart(t, {
      source: 'component:default/payments-db',
    });
    expect(from).toBeUndefined();
    expect(transfer).toMatchObject({
      requestedVia: 'kubernetes',
      kubernetesRequest: {
        cluster: 'east',
        namespace: 'payments-next',
        name: t.request.name,
      },
      state: 'running',
      requester: `kubernetes:payments-next/${t.request.name}`,
      approvedBy: [`kubernetes:payments/${t.approval!.name}`],
      source: {
        cluster: 'east',
        namespace: 'payments',
        claim: 'db',
        entityRef: 'component:default/payments-db',
      },
      destination: { cluster: 'east', claim: 'db', entityRef: '' },
      requestedMode: 'rebind',
      chosenMode: 'rebind',
      intent: 'move',
      engineTransferId: t.id,
      attempt: 1,
      createdAt: new Date('2026-12-01T09:00:00Z'),
      startedAt: clock.now(),
      lease: { epoch: 0 },
    });
    expect(transfer.plan).toMatchObject({ mode: 'rebind', allowed: true });
    expect(await store.decisions(transfer.id)).toEqual([
      expect.objectContaining({
        kind: 'approve',
        actor: `kubernetes:payments/${t.approval!.name}`,
        ownership: expect.objectContaining({ via: 'kubernetes' }),
      }),
    ]);
    expect(await events(transfer.id)).toEqual([
      expect.objectContaining({ event: 'decision', kind: 'approve' }),
      expect.objectContaining({
        event: 'state',
        to: 'running',
        action: 'start',
        attempt: 1,
        engineTransferId: t.id,
      }),
    ]);
  });

  it('is never claimed by the worker nor reaped as an expired lease', async () => {
    const t = kepTransfer();
    const { transfer } = await store.kep.recordStart(t);
    expect(
      await store.runs.claimNext({ holder: 'w1', ttlMs: 1000 }),
    ).toBeUndefined();
    // even a lease column set by anything else is not the janitor's to end
    await db('transfers')
      .where({ id: transfer.id })
      .update({ lease_holder: 'stray', lease_expires_at: clock.now() });
    clock.advance(60_000);
    expect(await store.runs.reapExpiredLeases()).toEqual([]);
    // a portal transfer beside it is claimed as before
    const portal = await store.createTransfer(newTransfer());
    await store.decide({
      transferId: portal.id,
      kind: 'approve',
      actor: 'user:default/bob',
      ownership: {},
    });
    const claim = await store.runs.claimNext({ holder: 'w1', ttlMs: 1000 });
    expect(claim?.transfer.id).toBe(portal.id);
    expect(claim?.transfer.requestedVia).toBe('portal');
  });

  it('continues the same row on a later attempt and records phases, checkpoints and the success', async () => {
    const t = kepTransfer();
    const first = (await store.kep.recordStart(t)).transfer;
    await store.kep.recordPhase(t, 'Quiescing');
    await store.kep.recordCheckpoint(t, checkpoint(t, ['preconditions']));
    const second = { ...t, attempt: 2 };
    const again = await store.kep.recordStart(second, {
      destination: 'component:default/payments-next',
    });
    expect(again.from).toBe('running');
    expect(again.transfer).toMatchObject({
      id: first.id,
      attempt: 2,
      destination: { entityRef: 'component:default/payments-next' },
    });
    await store.kep.recordCheckpoint(
      second,
      checkpoint(t, ['preconditions', 'delete-source'], true),
    );
    const end = await store.kep.recordEnd(second, {
      state: 'succeeded',
      volumeName: 'pv-1',
      downtimeMs: 1200,
      checkpoint: checkpoint(
        t,
        ['preconditions', 'delete-source', 'bound'],
        true,
      ),
    });
    expect(end?.transfer).toMatchObject({
      state: 'succeeded',
      pastPointOfNoReturn: true,
      downtimeMs: 1200,
      finishedAt: clock.now(),
      checkpoint: {
        completedSteps: ['preconditions', 'delete-source', 'bound'],
      },
    });
    // a late report of the ended attempt changes nothing
    expect(await store.kep.recordPhase(second, 'Rebinding')).toBeUndefined();
    expect(
      await store.kep.recordEnd(second, {
        state: 'failed',
        reason: 'TransferFailed',
        message: 'late',
      }),
    ).toBeUndefined();
    const log = await events(first.id);
    expect(log.map(e => e.event)).toEqual([
      'decision',
      'state',
      'phase',
      'warning',
      'state',
    ]);
    expect(log[3]).toMatchObject({
      message: expect.stringContaining('attempt 2'),
    });
    expect(log[4]).toMatchObject({
      from: 'running',
      to: 'succeeded',
      action: 'succeed',
      attempt: 2,
    });
    expect(await store.get(first.id)).toMatchObject({ state: 'succeeded' });
  });

  it('records a failure with its reason, and leaves a hand-over running for the next run', async () => {
    const failing = kepTransfer();
    await store.kep.recordStart(failing);
    const failed = await store.kep.recordEnd(failing, {
      state: 'failed',
      reason: 'PreconditionsFailed',
      message: 'NotInUse: the claim is mounted by pod app-1',
    });
    expect(failed?.transfer).toMatchObject({
      state: 'failed',
      error: 'PreconditionsFailed: NotInUse: the claim is mounted by pod app-1',
    });
    expect((await events(failed!.transfer.id)).slice(-2)).toEqual([
      expect.objectContaining({
        event: 'error',
        reason: 'PreconditionsFailed',
      }),
      expect.objectContaining({ event: 'state', to: 'failed', action: 'fail' }),
    ]);

    const handed = kepTransfer();
    const { transfer } = await store.kep.recordStart(handed);
    await store.kep.recordCheckpoint(
      handed,
      checkpoint(handed, ['preconditions', 'quiesce']),
    );
    // the outcome's checkpoint may be older than what the next run recorded already: not written again
    const end = await store.kep.recordEnd(handed, {
      state: 'handedOver',
      checkpoint: checkpoint(handed, ['preconditions']),
    });
    expect(end?.transfer).toMatchObject({
      id: transfer.id,
      state: 'running',
      checkpoint: { completedSteps: ['preconditions', 'quiesce'] },
    });
    expect((await events(transfer.id)).at(-1)).toMatchObject({
      event: 'warning',
      message: expect.stringContaining('handed over'),
    });
  });

  it("drops an earlier attempt's late checkpoint once a later attempt started", async () => {
    const first = kepTransfer();
    await store.kep.recordStart(first);
    const second = { ...first, attempt: 2 };
    const { transfer } = await store.kep.recordStart(second);
    await store.kep.recordCheckpoint(
      second,
      checkpoint(first, ['preconditions', 'quiesce']),
    );
    expect(
      await store.kep.recordCheckpoint(first, checkpoint(first, [])),
    ).toBeUndefined();
    expect(await store.kep.recordPhase(first, 'Planning')).toBeUndefined();
    expect(await store.get(transfer.id)).toMatchObject({
      attempt: 2,
      checkpoint: { completedSteps: ['preconditions', 'quiesce'] },
    });
  });

  it('makes one row when two replicas record the same first attempt at once', async () => {
    const t = kepTransfer();
    const [a, b] = await Promise.all([
      store.kep.recordStart(t),
      store.kep.recordStart(t),
    ]);
    expect(a.transfer.id).toBe(b.transfer.id);
    expect(
      await db('transfers').where({ kep_request_uid: t.requestUid }),
    ).toHaveLength(1);
  });

  it('lists and exports where a transfer was requested', async () => {
    const t = kepTransfer();
    const { transfer } = await store.kep.recordStart(t);
    const viaKubernetes = await store.list({
      filter: { requestedVia: 'kubernetes' },
      limit: 500,
    });
    expect(viaKubernetes.items.map(i => i.id)).toContain(transfer.id);
    expect(
      viaKubernetes.items.every(i => i.requestedVia === 'kubernetes'),
    ).toBe(true);
    const viaPortal = await store.list({
      filter: { requestedVia: 'portal' },
      limit: 500,
    });
    expect(viaPortal.items.map(i => i.id)).not.toContain(transfer.id);
    const rows = await store.listExportRows({ limit: 500 });
    expect(rows.items.find(r => r.id === transfer.id)?.requestedVia).toBe(
      'kubernetes',
    );
  });
});
