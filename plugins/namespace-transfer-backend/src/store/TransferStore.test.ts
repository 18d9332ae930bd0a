import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { TransferStore } from './TransferStore';
import {
  clientOf,
  expectedClient,
  storeTestDatabases,
} from './__testUtils__/databases';
import { storeUnderTest } from './__testUtils__/storeUnderTest';
import { newTransfer } from './__testUtils__/transfers';

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())('TransferStore on %s', id => {
  const env = storeUnderTest(databases, id);
  const { clock } = env;
  let db: Knex;
  let store: TransferStore;
  beforeAll(() => {
    ({ db, store } = env);
  });

  const approver = {
    actor: 'user:default/bob',
    ownership: { sourceOwners: ['group:default/team-payments'], via: 'owner' },
  };
  const approved = async () => {
    const t = await store.createTransfer(newTransfer());
    return store.decide({ transferId: t.id, kind: 'approve', ...approver });
  };

  it('runs on the database it claims to', () => {
    expect(clientOf(db)).toBe(expectedClient(id));
  });

  it('stores a request and reads it back as it was asked', async () => {
    const asked = newTransfer({ cutoverAt: new Date('2026-12-02T03:00:00Z') });
    const created = await store.createTransfer(asked);
    expect(created).toMatchObject({
      ...asked,
      state: 'pending-approval',
      attempt: 1,
      cancelRequested: false,
      pastPointOfNoReturn: false,
      progress: {},
      lease: { epoch: 0 },
      createdAt: clock.now(),
    });
    expect(created.engineTransferId).toMatch(/^[a-z0-9-]{36}$/);
    expect(await store.get(created.id)).toEqual(created);
    const events = await store.readEvents({ transferId: created.id });
    expect(events.map(e => [e.kind, e.payload])).toEqual([
      [
        'state',
        {
          to: 'pending-approval',
          action: 'request',
          actor: asked.requester,
          attempt: 1,
          engineTransferId: created.engineTransferId,
        },
      ],
    ]);
  });

  it('answers NotFoundError for an unknown id', async () => {
    await expect(store.get('no-such-id')).rejects.toThrow(NotFoundError);
    await expect(
      store.decide({ transferId: 'no-such-id', kind: 'approve', ...approver }),
    ).rejects.toThrow(NotFoundError);
  });

  it('stores a batch with all its transfers', async () => {
    const { batch, transfers } = await store.createBatch(
      {
        requester: 'user:default/alice',
        source: { cluster: 'east', namespace: 'payments' },
        destinationEntityRef: 'component:default/payments-next',
        comment: 'the whole namespace',
      },
      ['a-data', 'b-data', 'c-data'].map(claim =>
        newTransfer({
          source: { ...newTransfer().source, claim },
          destination: { ...newTransfer().destination, claim },
        }),
      ),
    );
    expect(transfers.map(t => [t.source.claim, t.batchId])).toEqual([
      ['a-data', batch.id],
      ['b-data', batch.id],
      ['c-data', batch.id],
    ]);
    expect(await store.getBatch(batch.id)).toEqual(batch);
    const listed = await store.list({ filter: { batchId: batch.id } });
    expect(listed.items).toHaveLength(3);
  });

  it('stores none of a batch when one transfer cannot be stored', async () => {
    const counts = async () => [
      await db('transfers').count({ n: '*' }),
      await db('batches').count({ n: '*' }),
      await db('events').count({ n: '*' }),
    ];
    const before = await counts();
    const bad = newTransfer({
      options: {
        image: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlLXNpZw',
      },
    });
    await expect(
      store.createBatch(
        {
          requester: 'user:default/alice',
          source: { cluster: 'east', namespace: 'payments' },
          destinationEntityRef: 'component:default/payments-next',
        },
        [newTransfer(), bad],
      ),
    ).rejects.toThrow(
      /refusing to store the transfer options: it holds something secret at \$\.image \(a token\)/,
    );
    expect(await counts()).toEqual(before);
  });

  it('records an approval with the ownership that allowed it, and its events', async () => {
    const t = await store.createTransfer(newTransfer());
    clock.advance(1000);
    const after = await store.decide({
      transferId: t.id,
      kind: 'approve',
      comment: 'go ahead',
      ...approver,
    });
    expect(after).toMatchObject({ state: 'approved', updatedAt: clock.now() });
    expect(await store.decisions(t.id)).toEqual([
      {
        id: expect.any(String),
        transferId: t.id,
        kind: 'approve',
        actor: 'user:default/bob',
        comment: 'go ahead',
        ownership: approver.ownership,
        decidedAt: clock.now(),
      },
    ]);
    const events = await store.readEvents({ transferId: t.id });
    expect(events.map(e => [e.kind, e.payload])).toEqual([
      ['state', expect.objectContaining({ to: 'pending-approval' })],
      [
        'decision',
        { kind: 'approve', actor: 'user:default/bob', comment: 'go ahead' },
      ],
      [
        'state',
        {
          from: 'pending-approval',
          to: 'approved',
          action: 'approve',
          attempt: 1,
        },
      ],
    ]);
  });

  it('answers an illegal decision with a 409 naming the state, and changes nothing', async () => {
    const t = await store.createTransfer(newTransfer());
    await store.decide({ transferId: t.id, kind: 'reject', ...approver });
    const before = await store.get(t.id);
    const eventsBefore = await store.readEvents({ transferId: t.id });
    const error = await store
      .decide({ transferId: t.id, kind: 'approve', ...approver })
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'cannot approve: the transfer is rejected; approve is possible only when it is pending-approval',
    );
    expect(await store.get(t.id)).toEqual(before);
    expect(await store.decisions(t.id)).toHaveLength(1);
    expect(await store.readEvents({ transferId: t.id })).toEqual(eventsBefore);
  });

  it('approves once the required number of distinct owners approved', async () => {
    const t = await store.createTransfer(newTransfer());
    const approve = (actor: string) =>
      store.decide(
        { transferId: t.id, kind: 'approve', actor, ownership: {} },
        { requiredApprovals: 2 },
      );
    expect(await approve('user:default/bob')).toMatchObject({
      state: 'pending-approval',
      approvedBy: ['user:default/bob'],
    });
    await expect(approve('user:default/bob')).rejects.toThrow(
      'cannot approve: user:default/bob approved this request already; it needs 1 more approval(s) from other owners',
    );
    expect(await approve('user:default/carol')).toMatchObject({
      state: 'approved',
      approvedBy: ['user:default/bob', 'user:default/carol'],
    });
    const events = await store.readEvents({ transferId: t.id });
    expect(events.map(e => [e.kind, e.payload.actor, e.payload.to])).toEqual([
      ['state', 'user:default/alice', 'pending-approval'],
      ['decision', 'user:default/bob', undefined],
      ['decision', 'user:default/carol', undefined],
      ['state', undefined, 'approved'],
    ]);
    expect(await store.decisions(t.id)).toHaveLength(2);

    // a changed plan asks again: the earlier approvals were of the other plan
    const { lease } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    expect(
      await store.runs.finishRun(lease, 'ask-again', {
        details: { difference: 'another mode' },
      }),
    ).toMatchObject({ state: 'pending-approval', approvedBy: [] });
  });

  it('lets exactly one of two concurrent decisions land', async () => {
    const t = await store.createTransfer(newTransfer());
    const results = await Promise.allSettled([
      store.decide({ transferId: t.id, kind: 'approve', ...approver }),
      store.decide({ transferId: t.id, kind: 'reject', ...approver }),
    ]);
    const landed = results.filter(r => r.status === 'fulfilled');
    const refused = results.filter(r => r.status === 'rejected');
    expect(landed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect(await store.decisions(t.id)).toHaveLength(1);
  });

  it('cancels a waiting transfer at once and a running one through its worker', async () => {
    const waiting = await approved();
    expect(
      await store.decide({
        transferId: waiting.id,
        kind: 'cancel',
        ...approver,
      }),
    ).toMatchObject({ state: 'cancelled', finishedAt: clock.now() });

    const t = await approved();
    const claim = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    expect(claim.transfer.id).toBe(t.id);
    const cancelling = await store.decide({
      transferId: t.id,
      kind: 'cancel',
      ...approver,
    });
    expect(cancelling).toMatchObject({
      state: 'running',
      cancelRequested: true,
    });
    await expect(
      store.decide({ transferId: t.id, kind: 'cancel', ...approver }),
    ).rejects.toThrow('cannot cancel: a cancel is already under way');
    const rolledBack = await store.runs.finishRun(claim.lease, 'roll-back');
    expect(rolledBack).toMatchObject({
      state: 'cancelled',
      lease: { epoch: 1 },
    });
    expect(rolledBack.lease?.holder).toBeUndefined();
  });

  it('refuses a cancel past the point of no return with a 409 that says why', async () => {
    const t = await approved();
    const { lease, transfer } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    expect(transfer.id).toBe(t.id);
    await store.runs.saveCheckpoint(
      lease,
      {
        transferId: transfer.engineTransferId,
        version: 1,
        phase: 'Finalizing',
        completedSteps: [
          'provision-destination',
          'sync-final',
          'verify',
          'finalize',
        ],
        state: {},
        updatedAt: clock.now().toISOString(),
      },
      { pastPointOfNoReturn: true },
    );
    const error = await store
      .decide({ transferId: t.id, kind: 'cancel', ...approver })
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/past its point of no return/);
    expect(await store.get(t.id)).toMatchObject({
      state: 'running',
      cancelRequested: false,
    });

    // a failure from here is resumed with its checkpoint, not retried
    await store.runs.finishRun(lease, 'fail', {
      error: 'the API server went away',
    });
    await expect(
      store.decide({ transferId: t.id, kind: 'retry', ...approver }),
    ).rejects.toThrow(/resume it instead of retrying/);
    const resumed = await store.decide({
      transferId: t.id,
      kind: 'resume',
      ...approver,
    });
    expect(resumed).toMatchObject({
      state: 'approved',
      attempt: 1,
      engineTransferId: transfer.engineTransferId,
      checkpoint: { phase: 'Finalizing' },
      pastPointOfNoReturn: true,
    });
    expect(resumed.error).toBeUndefined();
    expect(resumed.finishedAt).toBeUndefined();
  });

  it('retries a failure as a new attempt with its own engine id, keeping the history', async () => {
    const t = await approved();
    const { lease, transfer } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    expect(transfer.id).toBe(t.id);
    await store.runs.recordProgress(
      lease,
      { bytesDone: 10, bytesTotal: 100 },
      { sample: true },
    );
    await store.runs.finishRun(lease, 'fail', {
      error: 'the mover pod was evicted',
    });
    const retried = await store.decide({
      transferId: t.id,
      kind: 'retry',
      ...approver,
    });
    expect(retried).toMatchObject({
      state: 'approved',
      attempt: 2,
      progress: {},
    });
    expect(retried.engineTransferId).not.toBe(transfer.engineTransferId);
    expect(retried.checkpoint).toBeUndefined();
    expect(retried.error).toBeUndefined();

    const events = await store.readEvents({ transferId: t.id });
    expect(events.map(e => e.kind)).toEqual([
      'state',
      'decision',
      'state', // requested, approved
      'state', // started
      'progress',
      'error',
      'state', // failed
      'decision',
      'state', // retried
    ]);
    expect(events[5].payload).toEqual({ message: 'the mover pod was evicted' });
    expect(events[8].payload).toMatchObject({
      from: 'failed',
      to: 'approved',
      attempt: 2,
      engineTransferId: retried.engineTransferId,
    });
  });

  it('sends a retry of a request cancelled before it ran back to its owners', async () => {
    const t = await store.createTransfer(newTransfer());
    await store.decide(
      {
        transferId: t.id,
        kind: 'approve',
        ...approver,
      },
      { requiredApprovals: 2 },
    );
    await store.decide({ transferId: t.id, kind: 'cancel', ...approver });
    const retried = await store.decide({
      transferId: t.id,
      kind: 'retry',
      actor: 'user:default/alice',
      ownership: { requester: true },
    });
    expect(retried).toMatchObject({
      state: 'pending-approval',
      attempt: 2,
      approvedBy: [],
    });
    expect(
      await store.runs.claimNext({ holder: 'w1', ttlMs: 60_000 }),
    ).toBeUndefined();
  });

  it('cuts a staged transfer over when asked, through a worker claim', async () => {
    const t = await approved();
    const first = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    await store.runs.finishRun(first.lease, 'stage');
    expect(await store.get(t.id)).toMatchObject({ state: 'staged' });
    // staged holds no worker slot and is not claimed until it is due
    expect(
      await store.runs.claimNext({ holder: 'w2', ttlMs: 60_000 }),
    ).toBeUndefined();
    await store.decide({ transferId: t.id, kind: 'cutover', ...approver });
    const second = (await store.runs.claimNext({
      holder: 'w2',
      ttlMs: 60_000,
    }))!;
    expect(second.transfer).toMatchObject({ id: t.id, state: 'running' });
    expect(second.lease.epoch).toBe(first.lease.epoch + 1);
    await store.runs.finishRun(second.lease, 'succeed', { downtimeMs: 2300 });
    expect(await store.get(t.id)).toMatchObject({
      state: 'succeeded',
      downtimeMs: 2300,
      finishedAt: clock.now(),
    });
  });

  it('claims a staged transfer by itself when its cut over time comes', async () => {
    const t = await store.createTransfer(
      newTransfer({ cutoverAt: new Date(clock.now().getTime() + 3_600_000) }),
    );
    await store.decide({ transferId: t.id, kind: 'approve', ...approver });
    const run = (await store.runs.claimNext({ holder: 'w1', ttlMs: 60_000 }))!;
    await store.runs.finishRun(run.lease, 'stage');
    expect(
      await store.runs.claimNext({ holder: 'w1', ttlMs: 60_000 }),
    ).toBeUndefined();
    clock.advance(3_600_000);
    const due = await store.runs.claimNext({ holder: 'w1', ttlMs: 60_000 });
    expect(due?.transfer).toMatchObject({ id: t.id, state: 'running' });
  });

  it('rolls a staged transfer back through a worker when it is cancelled', async () => {
    const t = await approved();
    const first = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    await store.runs.finishRun(first.lease, 'stage');
    expect(
      await store.runs.claimNext({ holder: 'w2', ttlMs: 60_000 }),
    ).toBeUndefined();
    expect(
      await store.decide({ transferId: t.id, kind: 'cancel', ...approver }),
    ).toMatchObject({ state: 'staged', cancelRequested: true });
    await expect(
      store.decide({ transferId: t.id, kind: 'cutover', ...approver }),
    ).rejects.toThrow('cannot cutover: a cancel is under way');
    // the cancel makes it claimable: its objects on the clusters need a worker to go
    const second = (await store.runs.claimNext({
      holder: 'w2',
      ttlMs: 60_000,
    }))!;
    expect(second.transfer).toMatchObject({
      id: t.id,
      state: 'running',
      cancelRequested: true,
    });
    expect(await store.runs.finishRun(second.lease, 'roll-back')).toMatchObject(
      {
        state: 'cancelled',
        finishedAt: clock.now(),
      },
    );
  });

  it('sends a transfer whose plan changed back for approval', async () => {
    const t = await approved();
    const { lease } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    const back = await store.runs.finishRun(lease, 'ask-again', {
      details: { difference: 'a second pod now uses the claim' },
    });
    expect(back).toMatchObject({ state: 'pending-approval' });
    expect(back.lease?.holder).toBeUndefined();
    const [last] = (await store.readEvents({ transferId: t.id })).slice(-1);
    expect(last.payload).toMatchObject({
      from: 'running',
      to: 'pending-approval',
      details: { difference: 'a second pod now uses the claim' },
    });
  });

  it('expires the requests nobody decided on in time', async () => {
    const soon = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() + 1000) }),
    );
    const later = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() + 86_400_000) }),
    );
    const decided = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() + 1000) }),
    );
    await store.decide({
      transferId: decided.id,
      kind: 'approve',
      ...approver,
    });
    clock.advance(2000);
    expect(await store.expireOverdue()).toEqual([soon.id]);
    expect((await store.get(soon.id)).state).toBe('expired');
    expect((await store.get(later.id)).state).toBe('pending-approval');
    expect((await store.get(decided.id)).state).toBe('approved');
  });
});
