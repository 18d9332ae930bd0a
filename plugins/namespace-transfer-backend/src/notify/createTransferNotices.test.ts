import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  SignalPayload,
  SignalsService,
} from '@backstage/plugin-signals-node';
import type { Transfer } from '../store';
import {
  ALICE,
  BOB,
  CAROL,
  PAYMENTS_TEAM,
  storedTransfer,
} from './__testUtils__/transfer';
import { createTransferNotices } from './createTransferNotices';
import type { TransferNoticesOptions } from './createTransferNotices';

const DESTINATION_TEAM = 'group:default/team-east';
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(24)}.${'b'.repeat(24)}`;

function setup(overrides: Partial<TransferNoticesOptions> = {}) {
  const send = jest.fn<Promise<void>, Parameters<NotificationService['send']>>(
    async () => {},
  );
  const publish = jest.fn(async (_signal: SignalPayload) => {});
  const logger = mockServices.logger.mock();
  const ownersOf = jest.fn(async (_t: Transfer) => [PAYMENTS_TEAM, BOB]);
  const readersOf = jest.fn(async (t: Transfer) => [
    t.requester,
    PAYMENTS_TEAM,
    DESTINATION_TEAM,
  ]);
  const notices = createTransferNotices({
    notifications: { send },
    signals: { publish } as unknown as SignalsService,
    logger,
    ownersOf,
    readersOf,
    ...overrides,
  });
  return { notices, send, publish, logger, ownersOf, readersOf };
}

describe('createTransferNotices', () => {
  afterEach(() => jest.useRealTimers());

  it('asks the source owners of a new request (groups expanded by the backend, requester left out) and signals its readers', async () => {
    const { notices, send, publish } = setup();
    await notices.stateChanged(storedTransfer(), {
      from: 'pending-approval',
      action: 'request',
      actor: ALICE,
    });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: [PAYMENTS_TEAM, BOB],
        excludeEntityRef: [ALICE],
      },
      payload: expect.objectContaining({
        title: 'Approve moving payments/db-data to east/payments?',
        link: '/namespace-transfer/transfers/tr-1',
        severity: 'normal',
        topic: 'namespace-transfer-approval',
        scope: 'namespace-transfer:tr-1:approval',
      }),
    });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith({
      recipients: {
        type: 'user',
        entityRef: [ALICE, PAYMENTS_TEAM, DESTINATION_TEAM],
      },
      channel: 'namespace-transfer',
      message: { id: 'tr-1', state: 'pending-approval' },
    });
  });

  it('an owner who decided does not hear of it, even named directly among the owners', async () => {
    const { notices, send } = setup({
      ownersOf: async () => [BOB, CAROL],
    });
    await notices.stateChanged(storedTransfer({ state: 'pending-approval' }), {
      from: 'cancelled',
      action: 'retry',
      actor: BOB,
    });
    const byTopic = Object.fromEntries(
      send.mock.calls.map(([o]) => [o.payload.topic, o.recipients]),
    );
    expect(byTopic).toEqual({
      // the owners are asked again, without the owner who retried it
      'namespace-transfer-approval': {
        type: 'entity',
        entityRef: [CAROL],
        excludeEntityRef: [ALICE, BOB],
      },
      // and the requester hears that someone else retried it
      'namespace-transfer-status': {
        type: 'entity',
        entityRef: [ALICE],
        excludeEntityRef: [BOB],
      },
    });
  });

  it('a failure goes to the requester and the approvers, high, once each', async () => {
    const { notices, send } = setup();
    await notices.stateChanged(
      storedTransfer({
        state: 'failed',
        error: 'sync failed',
        approvedBy: [BOB, ALICE],
      }),
      { from: 'running', action: 'fail' },
    );
    expect(send).toHaveBeenCalledTimes(1);
    const [{ recipients, payload }] = send.mock.calls[0];
    expect(recipients).toEqual({ type: 'entity', entityRef: [ALICE, BOB] });
    expect(payload.severity).toBe('high');
    expect(payload.scope).toBe('namespace-transfer:tr-1:1:failed');
  });

  it('a failure past the point of no return goes to the source owners too, critical', async () => {
    const { notices, send } = setup();
    await notices.stateChanged(
      storedTransfer({
        state: 'failed',
        error: 'final sync failed',
        pastPointOfNoReturn: true,
        approvedBy: [BOB],
      }),
      { from: 'running', action: 'fail' },
    );
    const [{ recipients, payload }] = send.mock.calls[0];
    expect(recipients).toEqual({
      type: 'entity',
      entityRef: [ALICE, BOB, PAYMENTS_TEAM],
    });
    expect(payload.severity).toBe('critical');
  });

  it('a change nobody acts on sends no notification but still signals', async () => {
    const { notices, send, publish } = setup();
    await notices.stateChanged(storedTransfer({ state: 'running' }), {
      from: 'approved',
      action: 'start',
    });
    expect(send).not.toHaveBeenCalled();
    expect(publish.mock.calls[0][0]).toMatchObject({
      message: { id: 'tr-1', state: 'running' },
    });
  });

  it('signals carry only the id and what changed, never names, plan or people', async () => {
    const { notices, publish } = setup();
    const transfer = storedTransfer({
      state: 'running',
      phase: 'Syncing',
      progress: {
        bytesDone: 512,
        bytesTotal: 1024,
        rateBytesPerSecond: 100,
        etaSeconds: Number.NaN,
        // whatever else a summary may hold one day stays home
        ...({ currentFile: 'secrets/db.key' } as object),
      },
    });
    await notices.progressed(transfer, 'phase');
    await notices.progressed(transfer, 'progress');
    const messages = publish.mock.calls.map(([signal]) => signal.message);
    expect(messages).toEqual([
      { id: 'tr-1', phase: 'Syncing' },
      {
        id: 'tr-1',
        progress: { bytesDone: 512, bytesTotal: 1024, rateBytesPerSecond: 100 },
      },
    ]);
    const text = JSON.stringify(messages);
    for (const leak of ['payments', 'alice', 'db-data', 'secrets'])
      expect(text).not.toContain(leak);
  });

  it('progress reuses the readers for a while; a state change reads them afresh', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T08:00:00Z') });
    const { notices, readersOf } = setup({ readersTtlMs: 30_000 });
    const transfer = storedTransfer({ state: 'running' });
    await notices.progressed(transfer, 'progress');
    await notices.progressed(transfer, 'progress');
    expect(readersOf).toHaveBeenCalledTimes(1);
    jest.setSystemTime(new Date('2026-12-05T08:00:31Z'));
    await notices.progressed(transfer, 'progress');
    expect(readersOf).toHaveBeenCalledTimes(2);
    await notices.stateChanged(transfer, { from: 'approved', action: 'start' });
    expect(readersOf).toHaveBeenCalledTimes(3);
  });

  it('never broadcasts: no readers, no signal', async () => {
    const { notices, publish } = setup({ readersOf: async () => [] });
    await notices.stateChanged(storedTransfer({ state: 'running' }), {
      from: 'approved',
      action: 'start',
    });
    await notices.progressed(storedTransfer(), 'progress');
    expect(publish).not.toHaveBeenCalled();
  });

  it('a failing send is logged without its secrets and does not throw; the signal still goes', async () => {
    const { notices, send, publish, logger } = setup();
    send.mockRejectedValue(
      new Error(`Failed to send notifications: Authorization: Bearer ${TOKEN}`),
    );
    await expect(
      notices.stateChanged(storedTransfer({ state: 'rejected' }), {
        from: 'pending-approval',
        action: 'reject',
        actor: BOB,
      }),
    ).resolves.toBeUndefined();
    expect(send).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [line, ...rest] = logger.warn.mock.calls[0];
    expect(rest).toEqual([]);
    expect(line).toContain(
      'could not send the "rejected" notification of transfer tr-1',
    );
    expect(line).not.toContain(TOKEN);
  });

  it('owners that cannot be read, or a signal that fails, are logged and do not throw', async () => {
    const { notices, send, publish, logger } = setup({
      ownersOf: async () => {
        throw new Error('catalog unavailable');
      },
    });
    publish.mockRejectedValue(new Error('events bus down'));
    await expect(
      notices.stateChanged(storedTransfer(), {
        from: 'pending-approval',
        action: 'request',
        actor: ALICE,
      }),
    ).resolves.toBeUndefined();
    await expect(
      notices.progressed(storedTransfer(), 'phase'),
    ).resolves.toBeUndefined();
    expect(send).not.toHaveBeenCalled();
    const lines = logger.warn.mock.calls.map(c => String(c[0]));
    expect(lines).toEqual([
      expect.stringContaining('catalog unavailable'),
      expect.stringContaining('events bus down'),
    ]);
  });

  it('a send that keeps failing is logged once a minute, with a count of what was not logged', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T08:00:00Z') });
    const { notices, publish, logger } = setup();
    publish.mockRejectedValue(new Error('events bus down'));
    const transfer = storedTransfer({ state: 'running' });
    for (let i = 0; i < 5; i++) await notices.progressed(transfer, 'progress');
    expect(publish).toHaveBeenCalledTimes(5);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    jest.setSystemTime(new Date('2026-12-05T08:01:01Z'));
    await notices.progressed(transfer, 'progress');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1][0]).toContain(
      '4 more such failures in the last minute were not logged',
    );
  });

  it("a batch's new requests ask each set of owners once, replaced as they are stored, one send after the other", async () => {
    const { notices, send } = setup({
      ownersOf: async t =>
        t.source.claim === 'cache' ? [CAROL] : [PAYMENTS_TEAM],
    });
    // each send stays in flight until released; it records how many had finished when it began
    const inFlight: Array<() => void> = [];
    const finishedBefore: number[] = [];
    let finished = 0;
    send.mockImplementation(() => {
      finishedBefore.push(finished);
      return new Promise<void>(resolve =>
        inFlight.push(() => {
          finished += 1;
          resolve();
        }),
      );
    });
    const requested = ['db-data', 'db-logs', 'cache'].map(claim =>
      notices.stateChanged(
        storedTransfer({
          id: `tr-${claim}`,
          batchId: 'b-1',
          source: { ...storedTransfer().source, claim },
          destination: { ...storedTransfer().destination, claim },
        }),
        { from: 'pending-approval', action: 'request', actor: ALICE },
      ),
    );
    await waitFor(() => send.mock.calls.length >= 2);
    inFlight.splice(0).forEach(done => done());
    await waitFor(() => send.mock.calls.length === 3);
    inFlight.splice(0).forEach(done => done());
    await Promise.all(requested);
    // the team's second ask began only after their first had been delivered (it replaces, never races it)
    expect(finishedBefore).toEqual([0, 0, 2]);

    const asks = send.mock.calls.map(([o]) => ({
      to: o.recipients,
      title: o.payload.title,
      scope: o.payload.scope,
      link: o.payload.link,
    }));
    const team = {
      type: 'entity',
      entityRef: [PAYMENTS_TEAM],
      excludeEntityRef: [ALICE],
    };
    const scope = 'namespace-transfer:batch:b-1:approval';
    expect(asks).toEqual(
      expect.arrayContaining([
        {
          to: team,
          title: 'Approve moving payments/db-data to east/payments?',
          scope,
          link: '/namespace-transfer/transfers/tr-db-data',
        },
        {
          to: team,
          title: 'Approve moving 2 volumes of payments to east/payments?',
          scope,
          link: '/namespace-transfer/transfers/tr-db-logs',
        },
        {
          to: { ...team, entityRef: [CAROL] },
          title: 'Approve moving payments/cache to east/payments?',
          scope,
          link: '/namespace-transfer/transfers/tr-cache',
        },
      ]),
    );
    expect(asks).toHaveLength(3);
    expect(send.mock.calls[2][0].payload.description).toBe(
      'alice asks for moving claims db-data, db-logs in payments on west to payments on east. Each is approved on its own.',
    );
  });
});

/** Waits for a condition on mocks that promises settle towards (no timers: a few turns of the queue). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn++)
    await new Promise(resolve => setImmediate(resolve));
  expect(condition()).toBe(true);
}
