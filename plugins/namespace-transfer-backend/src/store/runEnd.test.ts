import { ConflictError } from '@backstage/errors';
import { TransferStore } from './TransferStore';
import { storeTestDatabases } from './__testUtils__/databases';
import {
  storeUnderTest,
  claimedTransfer,
} from './__testUtils__/storeUnderTest';
import { realisticPlan } from './__testUtils__/transfers';

const databases = storeTestDatabases();
const TTL = 30_000;

/** What the worker stores with a run beside its state: the plan it runs by, the plan asked about again, the cut over time. */
describe.each(databases.eachSupportedId())('run ends on %s', id => {
  const env = storeUnderTest(databases, id);
  const { clock } = env;
  let store: TransferStore;
  beforeAll(() => {
    ({ store } = env);
  });

  const claimed = (over = {}) => claimedTransfer(env, over, TTL);

  it('tells which state a claim came from', async () => {
    const first = await claimed();
    expect(first.from).toBe('approved');
    // the start names its attempt and engine id, so a retried transfer's log reads apart
    const started = await store.readEvents({
      transferId: first.lease.transferId,
    });
    expect(started.at(-1)?.payload).toMatchObject({
      action: 'start',
      attempt: 1,
      engineTransferId: first.transfer.engineTransferId,
    });
    await store.runs.handOver(first.lease, 'stopping');
    const again = (await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }))!;
    expect(again).toMatchObject({
      from: 'running',
      lease: { transferId: first.lease.transferId },
    });
  });

  it('stores the plan a run goes by beside the approved one, under the lease only', async () => {
    const { lease } = await claimed();
    const approved = (await store.get(lease.transferId)).plan;
    const fresh = { ...realisticPlan(), estimatedSeconds: 99 };
    await store.runs.recordRunPlan(lease, fresh);
    expect(await store.get(lease.transferId)).toMatchObject({
      plan: approved,
      runPlan: fresh,
    });
    await store.runs.handOver(lease, 'stopping');
    await expect(
      store.runs.recordRunPlan(lease, realisticPlan()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(lease.transferId)).runPlan).toEqual(fresh);
  });

  it('asks again with the fresh plan and the difference, approvals cleared', async () => {
    const { lease } = await claimed();
    // the run's own plan goes with the old approval: the next run plans afresh
    await store.runs.recordRunPlan(lease, realisticPlan());
    const fresh = { ...realisticPlan(), mode: 'rebind' as const };
    const after = await store.runs.finishRunWith(
      lease,
      'ask-again',
      { details: { planChanges: ['mode: copy → rebind'] } },
      { plan: fresh },
    );
    expect(after).toMatchObject({
      state: 'pending-approval',
      plan: fresh,
      approvedBy: [],
    });
    expect(after.runPlan).toBeUndefined();
    expect(after.lease?.holder).toBeUndefined();
    const events = await store.readEvents({ transferId: lease.transferId });
    expect(events.at(-1)).toMatchObject({
      kind: 'state',
      payload: expect.objectContaining({
        to: 'pending-approval',
        details: { planChanges: ['mode: copy → rebind'] },
      }),
    });
  });

  it('stages with the cut over time it was given, and is claimed again only when that comes', async () => {
    const { lease } = await claimed();
    const at = new Date(clock.now().getTime() + 3_600_000);
    const after = await store.runs.finishRunWith(
      lease,
      'stage',
      {},
      { cutoverAt: at },
    );
    expect(after).toMatchObject({ state: 'staged', cutoverAt: at });
    expect(
      await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }),
    ).toBeUndefined();
    clock.advance(3_600_000);
    expect(
      await store.runs.claimNext({ holder: 'w2', ttlMs: TTL }),
    ).toMatchObject({
      from: 'staged',
      lease: { transferId: lease.transferId },
    });
  });
});
