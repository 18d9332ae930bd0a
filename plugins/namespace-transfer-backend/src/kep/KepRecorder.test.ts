import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { KepTransfer } from '@namespace-transfer/plugin-namespace-transfer-node';
import type { StateChange, TransferNotices } from '../notify/types';
import { migrateToLatest, TransferStore, type Transfer } from '../store';
import { KepRecorder, type KepRecorderOptions } from './KepRecorder';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The auditor's events as the recorder opened and closed them. */
function recordingAuditor() {
  const log: Array<{ open: AuditorServiceCreateEventOptions; end?: object }> =
    [];
  const auditor: AuditorService = {
    async createEvent(open) {
      const entry: (typeof log)[number] = { open };
      log.push(entry);
      return {
        async success(o) {
          entry.end = { success: o?.meta ?? {} };
        },
        async fail(o) {
          entry.end = { fail: o.error.message, meta: o.meta };
        },
      };
    },
  };
  return { auditor, log };
}

function recordingNotices() {
  const heard: string[] = [];
  const notices: TransferNotices = {
    async stateChanged(t: Transfer, c: StateChange) {
      heard.push(`state ${c.from}>${t.state} ${c.action}`);
    },
    async progressed(t: Transfer, what) {
      heard.push(`${what} ${t.phase}`);
    },
  };
  return { notices, heard };
}

const kep = (uid: string, over: Partial<KepTransfer> = {}): KepTransfer => ({
  id: `kep-${uid}`,
  requestUid: uid,
  cluster: 'east',
  request: { namespace: 'apps-next', name: `move-${uid}` },
  approval: { namespace: 'apps', name: 'allow-db' },
  source: { namespace: 'apps', name: 'db' },
  destination: { namespace: 'apps-next', name: 'db' },
  adopted: true,
  attempt: 1,
  ...over,
});

const checkpoint = (t: KepTransfer): TransferCheckpoint => ({
  transferId: t.id,
  version: 1,
  phase: 'Rebinding',
  completedSteps: ['preconditions', 'delete-source'],
  state: {},
  updatedAt: '2026-12-05T10:00:00.000Z',
  pastPointOfNoReturn: true,
});

describe('KepRecorder', () => {
  let store: TransferStore;

  beforeAll(async () => {
    const db = await databases.init('SQLITE_3');
    await migrateToLatest(db);
    store = new TransferStore(db);
  });

  function recorder(entities?: KepRecorderOptions['entities']) {
    const a = recordingAuditor();
    const n = recordingNotices();
    const logger = mockServices.logger.mock();
    const r = new KepRecorder({
      store,
      notices: n.notices,
      auditor: a.auditor,
      logger,
      ...(entities && { entities }),
    });
    return { r, ...a, ...n, logger };
  }

  it('records a run as the controller reports it, in order, with signals and one audit event', async () => {
    const { r, log, heard } = recorder();
    const t = kep('r1');
    const started = r.hooks.started!(t);
    // reported synchronously while the start is being stored: lands after it
    r.hooks.event!(t, { type: 'phase', phase: 'Quiescing', at: 'now' });
    r.hooks.event!(t, { type: 'warning', message: 'slow to stop' });
    r.hooks.event!(t, { type: 'step', step: 'preconditions', at: 'now' });
    await started;
    await r.hooks.checkpoint!(t, checkpoint(t));
    await r.hooks.ended!(t, {
      state: 'succeeded',
      volumeName: 'pv-1',
      downtimeMs: 800,
      checkpoint: checkpoint(t),
    });
    await r.flush();

    const { items } = await store.list({
      filter: { requestedVia: 'kubernetes' },
    });
    const transfer = items.find(i => i.engineTransferId === t.id)!;
    expect(transfer).toMatchObject({
      state: 'succeeded',
      phase: 'Quiescing',
      pastPointOfNoReturn: true,
      downtimeMs: 800,
      requester: 'kubernetes:apps-next/move-r1',
    });
    const events = await store.readEvents({ transferId: transfer.id });
    expect(events.map(e => e.kind)).toEqual([
      'decision',
      'state',
      'phase',
      'warning',
      'state',
    ]);
    expect(heard).toEqual([
      'state approved>running start',
      'phase Quiescing',
      'state running>succeeded succeed',
    ]);
    expect(log).toEqual([
      {
        open: expect.objectContaining({
          eventId: 'transfer-run',
          meta: expect.objectContaining({
            requestedVia: 'kubernetes',
            transferId: transfer.id,
            request: { namespace: 'apps-next', name: 'move-r1' },
            approval: { namespace: 'apps', name: 'allow-db' },
          }),
        }),
        end: {
          success: {
            outcome: 'succeeded',
            volumeName: 'pv-1',
            downtimeMs: 800,
          },
        },
      },
    ]);
  });

  it('names the claims\u2019 entities when known, and fills the destination\u2019s at the end', async () => {
    let destinationKnown = false;
    const { r } = recorder(async () => ({
      source: 'component:default/apps-db',
      ...(destinationKnown && {
        destination: 'component:default/apps-next',
      }),
    }));
    const t = kep('r2');
    await r.hooks.started!(t);
    destinationKnown = true;
    await r.hooks.ended!(t, {
      state: 'succeeded',
      volumeName: 'pv-2',
      downtimeMs: 0,
      checkpoint: checkpoint(t),
    });
    const { items } = await store.list({
      filter: { entityRefs: ['component:default/apps-next'] },
    });
    expect(items.map(i => i.engineTransferId)).toEqual([t.id]);
    expect(items[0].source.entityRef).toBe('component:default/apps-db');
  });

  it('closes the audit event of a failure as failed, and of a hand-over as a success', async () => {
    const { r, log } = recorder();
    const failing = kep('r3');
    await r.hooks.started!(failing);
    await r.hooks.retrying!(failing, {
      message: 'the API server answered 503',
      delayMs: 1500,
    });
    await r.hooks.ended!(failing, {
      state: 'failed',
      reason: 'RetriesExhausted',
      message: 'the API server answered 503',
    });
    const handed = kep('r4');
    await r.hooks.started!(handed);
    await r.hooks.ended!(handed, { state: 'handedOver' });
    expect(log.map(e => e.end)).toEqual([
      {
        fail: 'RetriesExhausted: the API server answered 503',
        meta: { outcome: 'failed', reason: 'RetriesExhausted' },
      },
      { success: { outcome: 'handedOver' } },
    ]);
    const failed = (await store.list({ filter: { state: ['failed'] } })).items;
    const row = failed.find(i => i.engineTransferId === failing.id)!;
    const warnings = (await store.readEvents({ transferId: row.id })).filter(
      e => e.kind === 'warning',
    );
    expect(warnings[0].payload.message).toBe(
      'attempt 1 failed and is retried in 1.5 s: the API server answered 503',
    );
  });

  it('logs a write that fails and never throws it at the controller', async () => {
    const { r, logger } = recorder();
    const broken = kep('r5', {
      request: { namespace: 'apps-next', name: 'x' },
    });
    const spy = jest
      .spyOn(store.kep, 'recordStart')
      .mockRejectedValueOnce(new Error('database away'));
    await expect(r.hooks.started!(broken)).resolves.toBeUndefined();
    expect(spy).toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      'could not record the start of NamespaceTransferRequest apps-next/x on east: Error: database away',
    );
  });
});
