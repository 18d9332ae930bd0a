import type { Knex } from 'knex';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { migrateToLatest } from '../store/migrate';
import { TransferStore } from '../store';
import { ManualClock, newTransfer } from '../store/__testUtils__/transfers';
import { JANITOR_TASK_ID, janitorRound, scheduleJanitor } from './janitor';
import { recordingNotices } from './__testUtils__/fakeEngine';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('janitor', () => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await databases.init('SQLITE_3');
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
  });

  it('expires undecided requests past their expiry and ends stale leases, telling people and the worker', async () => {
    const overdue = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() + 1000) }),
    );
    const notDue = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() + 3_600_000) }),
    );
    const running = await store.createTransfer(newTransfer());
    await store.decide({
      transferId: running.id,
      kind: 'approve',
      actor: 'user:default/bob',
      ownership: {},
    });
    const { lease } = (await store.runs.claimNext({
      holder: 'crashed',
      ttlMs: 5000,
    }))!;
    clock.advance(6000);

    const { notices, states } = recordingNotices();
    let woken = 0;
    const round = await janitorRound({
      store,
      notices,
      logger: mockServices.logger.mock(),
      onReaped: () => woken++,
    });
    expect(round).toEqual({
      expired: [overdue.id],
      reaped: [lease.transferId],
    });
    expect((await store.get(overdue.id)).state).toBe('expired');
    expect((await store.get(notDue.id)).state).toBe('pending-approval');
    expect(await store.get(running.id)).toMatchObject({ state: 'running' });
    expect((await store.get(running.id)).lease?.holder).toBeUndefined();
    expect(states).toEqual([
      { id: overdue.id, to: 'expired', action: 'expire' },
    ]);
    expect(woken).toBe(1);

    // nothing left to do: nothing happens
    expect(
      await janitorRound({
        store,
        notices,
        logger: mockServices.logger.mock(),
      }),
    ).toEqual({ expired: [], reaped: [] });
  });

  it('runs on Backstage’s scheduler as a global task', async () => {
    const scheduler = mockServices.scheduler.mock();
    await scheduleJanitor({
      scheduler,
      store,
      notices: recordingNotices().notices,
      logger: mockServices.logger.mock(),
      frequencyMs: 30_000,
    });
    const task = scheduler.scheduleTask.mock
      .calls[0][0] as SchedulerServiceTaskScheduleDefinition & {
      id: string;
      fn: () => Promise<void>;
    };
    expect(task).toMatchObject({
      id: JANITOR_TASK_ID,
      scope: 'global',
      frequency: { milliseconds: 30_000 },
    });
    const expiring = await store.createTransfer(
      newTransfer({ expiresAt: new Date(clock.now().getTime() - 1) }),
    );
    await task.fn();
    expect((await store.get(expiring.id)).state).toBe('expired');
  });
});
