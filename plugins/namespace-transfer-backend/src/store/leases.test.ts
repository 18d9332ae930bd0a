import knexFactory, { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';
import { TransferStore } from './TransferStore';
import { storeTestDatabases } from './__testUtils__/databases';
import { storeUnderTest, SOURCE_OWNER } from './__testUtils__/storeUnderTest';
import { newTransfer } from './__testUtils__/transfers';
import type { Lease } from './types';

const databases = storeTestDatabases();
const TTL = 30_000;

describe.each(databases.eachSupportedId())('leases on %s', id => {
  const env = storeUnderTest(databases, id);
  const { clock } = env;
  let db: Knex;
  let store: TransferStore;
  beforeAll(() => {
    ({ db, store } = env);
  });
  const owner = SOURCE_OWNER;

  async function approvedTransfers(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = await store.createTransfer(newTransfer());
      await store.decide({ transferId: t.id, kind: 'approve', ...owner });
      ids.push(t.id);
      // claims go oldest first: each its own creation time keeps the order certain
      clock.advance(1);
    }
    return ids;
  }

  const stale = (lease: Lease) =>
    expect.objectContaining({
      message: expect.stringMatching(
        new RegExp(
          `no longer leased to ${lease.holder} at epoch ${lease.epoch} .*the write was refused`,
        ),
      ),
    });

  it('claims the oldest approved transfer with a new epoch, and nothing when none is left', async () => {
    const [first, second] = await approvedTransfers(2);
    const a = (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))!;
    expect(a.lease).toEqual({ transferId: first, holder: 'w1', epoch: 1 });
    expect(a.transfer).toMatchObject({
      state: 'running',
      startedAt: clock.now(),
      lease: {
        holder: 'w1',
        epoch: 1,
        expiresAt: new Date(clock.now().getTime() + TTL),
      },
    });
    const b = (await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }))!;
    expect(b.lease.transferId).toBe(second);
    expect(
      await store.runs.claimNext({ holder: 'w3', ttlMs: TTL }),
    ).toBeUndefined();
  });

  it('extends a lease on heartbeat, so it does not expire while its holder lives', async () => {
    await approvedTransfers(1);
    const { lease } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: TTL,
    }))!;
    clock.advance(TTL - 1000);
    await store.runs.heartbeat(lease, TTL);
    clock.advance(TTL - 1000);
    expect(await store.runs.reapExpiredLeases()).toEqual([]);
    expect(
      await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }),
    ).toBeUndefined();
    expect(await store.runs.holds(lease)).toBe(true);
  });

  it('fences out a worker whose lease expired and was taken over', async () => {
    const [id1] = await approvedTransfers(1);
    const old = (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))!;
    await store.runs.recordPhase(old.lease, 'Provisioning');
    clock.advance(TTL + 1);
    const taken = (await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }))!;
    expect(taken.lease).toEqual({ transferId: id1, holder: 'w2', epoch: 2 });

    const checkpoint = {
      transferId: old.transfer.engineTransferId,
      version: 1 as const,
      phase: 'Syncing' as const,
      completedSteps: ['provision-destination'],
      state: {},
      updatedAt: clock.now().toISOString(),
    };
    const refusals = await Promise.allSettled([
      store.runs.heartbeat(old.lease, TTL),
      store.runs.saveCheckpoint(old.lease, checkpoint, {
        pastPointOfNoReturn: false,
      }),
      store.runs.recordPhase(old.lease, 'Syncing'),
      store.runs.recordProgress(old.lease, { bytesDone: 1 }, { sample: true }),
      store.runs.recordWarning(old.lease, 'late'),
      store.runs.finishRun(old.lease, 'succeed'),
      store.runs.handOver(old.lease, 'stopping'),
    ]);
    for (const r of refusals) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      expect((r as PromiseRejectedResult).reason).toEqual(stale(old.lease));
    }
    // the new holder's run is untouched by the old one's attempts
    const now = await store.get(id1);
    expect(now).toMatchObject({
      state: 'running',
      phase: 'Provisioning',
      progress: {},
      lease: { holder: 'w2', epoch: 2 },
    });
    expect(now.checkpoint).toBeUndefined();
    const events = await store.readEvents({ transferId: id1 });
    expect(events.map(e => e.kind)).toEqual([
      'state',
      'decision',
      'state',
      'state',
      'phase',
      'warning',
    ]);
    expect(events[5].payload.message).toBe(
      'taken over by w2: the lease of w1 had ended',
    );
    // while the new holder writes as before
    await store.runs.saveCheckpoint(taken.lease, checkpoint, {
      pastPointOfNoReturn: false,
    });
    expect((await store.get(id1)).checkpoint).toEqual(checkpoint);
  });

  it('hands a transfer over without changing its state, and another worker resumes it', async () => {
    const [tid] = await approvedTransfers(1);
    const first = (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))!;
    await store.runs.handOver(first.lease, 'the backend is stopping');
    expect(await store.get(tid)).toMatchObject({
      state: 'running',
      lease: { epoch: 1 },
    });
    expect((await store.get(tid)).lease?.holder).toBeUndefined();
    const next = (await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }))!;
    expect(next.lease).toEqual({ transferId: tid, holder: 'w2', epoch: 2 });
    await expect(store.runs.heartbeat(first.lease, TTL)).rejects.toEqual(
      stale(first.lease),
    );
  });

  it('reaps expired leases only', async () => {
    await approvedTransfers(2);
    const dead = (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))!;
    const alive = (await store.runs.claimNext({
      holder: 'w2',
      ttlMs: 3 * TTL,
    }))!;
    clock.advance(TTL + 1);
    expect(await store.runs.reapExpiredLeases()).toEqual([dead.lease]);
    expect(
      (await store.get(dead.lease.transferId)).lease?.holder,
    ).toBeUndefined();
    expect((await store.get(alive.lease.transferId)).lease?.holder).toBe('w2');
    const [last] = (
      await store.readEvents({ transferId: dead.lease.transferId })
    ).slice(-1);
    expect(last).toMatchObject({
      kind: 'warning',
      payload: { message: 'the lease of w1 expired' },
    });
  });

  it('leaves transfers from or to a cluster at its limit for later', async () => {
    const onWest = await store.createTransfer(newTransfer());
    await store.decide({ transferId: onWest.id, kind: 'approve', ...owner });
    clock.advance(1);
    const local = await store.createTransfer(
      newTransfer({
        destination: { ...newTransfer().destination, cluster: 'east' },
      }),
    );
    await store.decide({ transferId: local.id, kind: 'approve', ...owner });
    const c = await store.runs.claimNext({
      holder: 'w1',
      ttlMs: TTL,
      skipClusters: ['west'],
    });
    expect(c?.transfer.id).toBe(local.id);
    expect(
      await store.runs.claimNext({
        holder: 'w1',
        ttlMs: TTL,
        skipClusters: ['east'],
      }),
    ).toBeUndefined();
    expect(
      (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))?.transfer.id,
    ).toBe(onWest.id);
  });

  it('keeps the point of no return once a checkpoint reported it', async () => {
    const [tid] = await approvedTransfers(1);
    const { lease, transfer } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: TTL,
    }))!;
    const checkpoint = (steps: string[]) => ({
      transferId: transfer.engineTransferId,
      version: 1 as const,
      phase: 'Finalizing' as const,
      completedSteps: steps,
      state: {},
      updatedAt: clock.now().toISOString(),
    });
    await store.runs.saveCheckpoint(lease, checkpoint(['verify']), {
      pastPointOfNoReturn: false,
    });
    expect((await store.get(tid)).pastPointOfNoReturn).toBe(false);
    await store.runs.saveCheckpoint(lease, checkpoint(['verify', 'finalize']), {
      pastPointOfNoReturn: true,
    });
    await store.runs.saveCheckpoint(
      lease,
      checkpoint(['verify', 'finalize', 'cleanup']),
      { pastPointOfNoReturn: false },
    );
    expect(await store.get(tid)).toMatchObject({
      pastPointOfNoReturn: true,
      checkpoint: { completedSteps: ['verify', 'finalize', 'cleanup'] },
    });
  });

  it('refuses a checkpoint of another attempt', async () => {
    await approvedTransfers(1);
    const { lease } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: TTL,
    }))!;
    await expect(
      store.runs.saveCheckpoint(
        lease,
        {
          transferId: 'an-earlier-attempt',
          version: 1,
          phase: 'Syncing',
          completedSteps: [],
          state: {},
          updatedAt: clock.now().toISOString(),
        },
        { pastPointOfNoReturn: false },
      ),
    ).rejects.toThrow(
      /belongs to engine transfer an-earlier-attempt, not to the current attempt/,
    );
  });

  it('gives each of many transfers to exactly one of two stores racing for them', async () => {
    const N = 20;
    // a second store with its own connection pool where the database allows it (PostgreSQL); an in-memory
    // SQLite database exists on one connection only, so there the two stores share it
    const second =
      String(db.client.config.client) === 'pg'
        ? knexFactory({ ...db.client.config, pool: { min: 1, max: 4 } })
        : db;
    const other = new TransferStore(second, { now: clock.now });
    try {
      let contended = 0;
      const claimAll = async (s: TransferStore, holder: string) => {
        const got: string[] = [];
        for (;;) {
          const c = await s.runs.claimNext({ holder, ttlMs: TTL });
          if (!c) return got;
          contended += c.contended;
          got.push(c.lease.transferId);
        }
      };
      // on a loaded machine one store can win every claim of a round without a lost race: a few rounds
      // make sure the claimers really met (each round is checked in full)
      for (let round = 0; round < 5; round++) {
        const ids = await approvedTransfers(N);
        const [a, b, c, d] = await Promise.all([
          claimAll(store, 'a'),
          claimAll(other, 'b'),
          claimAll(store, 'c'),
          claimAll(other, 'd'),
        ]);
        const all = [...a, ...b, ...c, ...d];
        expect(all.sort()).toEqual([...ids].sort());
        expect(new Set(all).size).toBe(N);
        const rows = await db('transfers').whereIn('id', ids);
        expect(rows.every(r => Number(r.lease_epoch) === 1)).toBe(true);
        if (second === db || contended > 0) break;
      }
      // on PostgreSQL the claimers ran at once and lost races to each other (an in-memory SQLite
      // database has one connection: its transactions take turns)
      expect(contended > 0).toBe(second !== db);
    } finally {
      if (second !== db) await second.destroy();
    }
  });
});
