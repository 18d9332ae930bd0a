import type { Knex } from 'knex';
import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import { findSecret, redactSecrets } from './secrets';
import { TransferStore } from './TransferStore';
import { migrateToLatest } from './migrate';
import { storeTestDatabases } from './__testUtils__/databases';
import { ManualClock, newTransfer } from './__testUtils__/transfers';

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg',
  '-----END PRIVATE KEY-----',
].join('\n');
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

describe('findSecret', () => {
  it.each([
    [
      { state: { server: { certificate: PEM } } },
      '$.state.server.certificate (a PEM block)',
    ],
    [{ headers: [`Bearer ${JWT}`] }, '$.headers[0] (a token)'],
    [
      { credentials: { password: 'hunter2' } },
      '$.credentials.password (a key named like a secret)',
    ],
    [{ 'rsync.password': 'x' }, '$.rsync.password (a key named like a secret)'],
    [
      { serviceAccountToken: 'abc' },
      '$.serviceAccountToken (a key named like a secret)',
    ],
    [
      { nested: { 'tls.key': 'abc' } },
      '$.nested.tls.key (a key named like a secret)',
    ],
    [
      { 'rsyncd.secrets': 'u:p' },
      '$.rsyncd.secrets (a key named like a secret)',
    ],
  ])('finds %j', (value, where) => {
    expect(findSecret(value)).toBe(where);
  });

  it('leaves the names of secrets and empty fields alone', () => {
    expect(
      findSecret({
        secretName: 'nst-x-credentials',
        tokenFile: '/var/run/secrets/token',
        keys: ['a'],
        password: null,
        token: '',
        note: 'BEGIN',
      }),
    ).toBeUndefined();
  });

  it('redacts key material and tokens out of free text', () => {
    expect(redactSecrets(`pod said: ${PEM} and ${JWT}; exit 12`)).toBe(
      'pod said: [redacted PRIVATE KEY] and [redacted token]; exit 12',
    );
  });
});

/** The copy steps' recorded results, as the engine's step runner keeps them (copy/run.ts). */
function copyCheckpoint(transferId: string): TransferCheckpoint {
  const sync = (run: string, files: number) => ({
    run,
    result: {
      exitCode: 0,
      ok: true,
      attempts: 1,
      filesTotal: 42,
      filesTransferred: files,
      bytesTotal: 52428800,
      bytesTransferred: files * 1024,
      errors: [],
      warnings: [],
    },
    durationMs: 5400,
  });
  return {
    transferId,
    version: 1,
    phase: 'Verifying',
    completedSteps: [
      'provision-destination',
      'expose',
      'credentials',
      'server',
      'sync-stage-1',
      'quiesce',
      'sync-final',
      'verify',
    ],
    state: {
      'provision-destination': null,
      expose: {
        host: '127.0.0.12',
        port: 30873,
        sni: 'nst-abc-server.payments-next',
      },
      credentials: null,
      server: null,
      'sync-stage-1': sync('stage-1', 42),
      quiesce: { startedAt: 1764583200000 },
      'sync-final': sync('final', 1),
      verify: { files: 42, bytes: 52428800, mode: 'full' },
    },
    updatedAt: '2026-12-01T10:00:05.000Z',
  };
}

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())('the store on %s', id => {
  let db: Knex;
  let store: TransferStore;
  const clock = new ManualClock();
  const owner = {
    actor: 'user:default/bob',
    ownership: { sourceOwners: ['group:default/team-payments'] },
  };

  beforeAll(async () => {
    db = await databases.init(id);
    await migrateToLatest(db);
    store = new TransferStore(db, { now: clock.now });
  });

  async function everyStoredValue(): Promise<string> {
    const tables = ['batches', 'transfers', 'decisions', 'events'];
    const dumps = await Promise.all(tables.map(t => db(t).select('*')));
    return JSON.stringify(dumps);
  }

  it('holds no secret after a whole run with a realistic checkpoint and a secret-laden error', async () => {
    const { transfers } = await store.createBatch(
      {
        requester: 'user:default/alice',
        source: { cluster: 'east', namespace: 'payments' },
        destinationEntityRef: 'component:default/payments-next',
      },
      [newTransfer()],
    );
    const [t] = transfers;
    await store.decide({
      transferId: t.id,
      kind: 'approve',
      comment: 'ok',
      ...owner,
    });
    const { lease, transfer } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    await store.runs.recordChosenMode(lease, 'copy');
    await store.runs.recordPhase(lease, 'Syncing');
    await store.runs.recordProgress(
      lease,
      {
        bytesDone: 1024,
        bytesTotal: 52428800,
        filesDone: 1,
        filesTotal: 42,
        rateBytesPerSecond: 9e6,
        etaSeconds: 5,
      },
      { sample: true },
    );
    await store.runs.saveCheckpoint(
      lease,
      copyCheckpoint(transfer.engineTransferId),
      {
        pastPointOfNoReturn: true,
      },
    );
    await store.runs.recordWarning(lease, `stunnel printed ${PEM}`);
    await store.runs.finishRun(lease, 'fail', {
      error: `the client pod failed: Authorization: Bearer ${JWT}\n${PEM}`,
    });

    const stored = await everyStoredValue();
    // the run really is in there ...
    expect(stored).toContain('nst-abc-server.payments-next');
    expect(stored).toContain('the client pod failed');
    expect(stored).toContain('[redacted PRIVATE KEY]');
    // ... and nothing secret is
    expect(stored).not.toMatch(/-----BEGIN/);
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
    expect(stored).not.toMatch(/password|passwd|rsyncd\.secrets/i);
    expect(stored).not.toContain('MIGHAgEAMBMGByqGSM49');
  });

  it('refuses a checkpoint that carries key material, and keeps the one it had', async () => {
    const t = await store.createTransfer(newTransfer());
    await store.decide({ transferId: t.id, kind: 'approve', ...owner });
    const { lease } = (await store.runs.claimNext({
      holder: 'w1',
      ttlMs: 60_000,
    }))!;
    const good = copyCheckpoint(t.engineTransferId);
    await store.runs.saveCheckpoint(lease, good, {
      pastPointOfNoReturn: false,
    });
    const leaky = copyCheckpoint(t.engineTransferId);
    leaky.state.credentials = { caPem: PEM, password: 'hunter2' };
    await expect(
      store.runs.saveCheckpoint(lease, leaky, { pastPointOfNoReturn: false }),
    ).rejects.toThrow(
      'refusing to store the checkpoint: it holds something secret at $.state.credentials.caPem (a PEM block)',
    );
    expect((await store.get(t.id)).checkpoint).toEqual(good);
    expect(await everyStoredValue()).not.toContain('hunter2');
  });
});
