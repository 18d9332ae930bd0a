import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { KubeConfig } from '@kubernetes/client-node';
import { gatherFacts } from '../gather';
import { runTransfer } from './runTransfer';

// the clusters are the unit's boundary: reading them is what never answers here
jest.mock('../gather', () => ({ gatherFacts: jest.fn() }));
const gather = gatherFacts as jest.MockedFunction<typeof gatherFacts>;

const spec: TransferSpec = {
  id: 't1',
  source: { cluster: 'east', namespace: 'shop', name: 'data' },
  destination: { cluster: 'west', namespace: 'shop', name: 'data' },
  mode: 'copy',
  intent: 'clone',
};
const kc = new KubeConfig();

describe('runTransfer', () => {
  afterEach(() => gather.mockReset());

  it('returns at once on a hand-over, without waiting for the call in flight, and reports nothing after it', async () => {
    let answer: (() => void) | undefined;
    gather.mockImplementation(
      () =>
        new Promise((_, reject) => {
          answer = () => reject(new Error('the cluster answered late'));
        }),
    );
    const handOver = new AbortController();
    const events: unknown[] = [];
    const running = runTransfer({
      spec,
      source: kc,
      destination: kc,
      handOver: handOver.signal,
      onEvent: e => events.push(e),
    });
    await new Promise(setImmediate);
    expect(gather).toHaveBeenCalledTimes(1);
    handOver.abort(new Error('the worker is stopping'));
    const r = await running;
    expect(r).toEqual({
      outcome: 'handed-over',
      pastPointOfNoReturn: false,
      plan: undefined,
      mode: undefined,
      checkpoint: undefined,
      durationMs: expect.any(Number),
    });
    answer!();
    await new Promise(setImmediate);
    expect(events).toEqual([]);
  });

  it('never throws: a failure to plan is a failed outcome with the reason in one line, a cancel before it a cancel', async () => {
    gather.mockRejectedValue(new Error('forbidden: cannot list pods'));
    expect(
      await runTransfer({ spec, source: kc, destination: kc }),
    ).toMatchObject({
      outcome: 'failed',
      error: 'forbidden: cannot list pods',
      pastPointOfNoReturn: false,
    });
    const cancel = new AbortController();
    cancel.abort(new Error('cancelled by the user'));
    expect(
      await runTransfer({
        spec,
        source: kc,
        destination: kc,
        signal: cancel.signal,
      }),
    ).toMatchObject({ outcome: 'cancelled', error: 'cancelled by the user' });
    expect(gather).toHaveBeenCalledTimes(1);
  });
});
