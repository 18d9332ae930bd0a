import { WorkQueue } from './workqueue';

const tick = (ms = 5) => new Promise(r => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('collapses repeated adds of a waiting key into one run', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    const q = new WorkQueue(
      't',
      async k => {
        runs.push(k);
        if (k === 'block') await gate;
      },
      1,
    );
    q.add('block');
    q.add('a');
    q.add('a');
    q.add('a');
    release();
    await q.idle();
    expect(runs).toEqual(['block', 'a']);
  });

  it('never runs one key twice at once and re-runs it when it changed meanwhile', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const q = new WorkQueue(
      't',
      async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        runs++;
        await tick(20);
        concurrent--;
      },
      4,
    );
    q.add('k');
    await tick();
    q.add('k');
    q.add('k');
    await tick(100);
    await q.idle();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(2);
  });

  it('retries a failing key with backoff until it succeeds', async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const q = new WorkQueue(
      't',
      async () => {
        attempts++;
        if (attempts < 3) throw new Error('boom');
      },
      1,
      (_, e) => errors.push(e),
    );
    q.add('k');
    for (let i = 0; i < 100 && attempts < 3; i++) await tick(20);
    expect(attempts).toBe(3);
    expect(errors).toHaveLength(2);
    await q.stop();
  });

  it('requeues after the delay a reconcile asks for, and not after stop', async () => {
    let runs = 0;
    const q = new WorkQueue('t', async () => {
      runs++;
      return runs < 2 ? 30 : undefined;
    });
    q.add('k');
    await tick(100);
    expect(runs).toBe(2);
    q.addAfter('k', 10);
    await q.stop();
    await tick(30);
    expect(runs).toBe(2);
  });
});
