import { TransferStore } from './TransferStore';
import { storeTestDatabases } from './__testUtils__/databases';
import {
  storeUnderTest,
  claimedTransfer,
  SOURCE_OWNER,
} from './__testUtils__/storeUnderTest';

const databases = storeTestDatabases();
const TTL = 30_000;

/** What the attempt's finished passes moved: kept by an abandoned run, set by a run's end, cleared by a retry. */
describe.each(databases.eachSupportedId())('carried progress on %s', id => {
  const env = storeUnderTest(databases, id);
  const { clock } = env;
  let store: TransferStore;
  beforeAll(() => {
    ({ store } = env);
  });
  const owner = SOURCE_OWNER;

  const claimed = (over = {}) => claimedTransfer(env, over, TTL);

  async function claimAgain() {
    clock.advance(1);
    return (await store.runs.claimNext({ holder: 'w1', ttlMs: TTL }))!;
  }

  it('starts a first run from nothing carried, and gives a take-over what the abandoned run last carried, not its summary', async () => {
    const first = await claimed();
    expect(first.carried).toEqual({});
    await store.runs.recordProgress(
      first.lease,
      { bytesDone: 700, bytesTotal: 1000, filesDone: 5 },
      { sample: true, carried: { bytes: 300, files: 2 } },
    );
    await store.runs.handOver(first.lease, 'stopping');
    const takeOver = await claimAgain();
    expect(takeOver).toMatchObject({
      from: 'running',
      carried: { bytes: 300, files: 2 },
      transfer: { progress: { bytesDone: 700, filesDone: 5 } },
    });
  });

  it('carries the summary when a run ends: the cut-over after a staged end counts on from the stage', async () => {
    const { lease } = await claimed({ options: { stage: true } });
    await store.runs.recordProgress(
      lease,
      { bytesDone: 384, bytesTotal: 384, filesDone: 12 },
      { sample: true, carried: {} },
    );
    await store.runs.finishRun(lease, 'stage');
    await store.decide({
      transferId: lease.transferId,
      kind: 'cutover',
      ...owner,
    });
    const cutover = await claimAgain();
    expect(cutover).toMatchObject({
      from: 'staged',
      carried: { bytes: 384, files: 12 },
    });
  });

  it('clears what is carried with the summary when a retry starts a new attempt', async () => {
    const { lease } = await claimed();
    await store.runs.recordProgress(
      lease,
      { bytesDone: 700, bytesTotal: 1000 },
      { sample: true, carried: { bytes: 100 } },
    );
    await store.runs.finishRun(lease, 'fail', { error: 'evicted' });
    await store.decide({
      transferId: lease.transferId,
      kind: 'retry',
      ...owner,
    });
    const retried = await claimAgain();
    expect(retried).toMatchObject({ from: 'approved', carried: {} });
    expect(retried.transfer).toMatchObject({ attempt: 2, progress: {} });
  });
});
