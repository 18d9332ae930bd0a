import { coalesce } from './coalesce';

function deferredTask() {
  const pending: Array<() => void> = [];
  let active = 0;
  let overlapped = false;
  const task = jest.fn(
    () =>
      new Promise<void>(resolve => {
        active += 1;
        if (active > 1) overlapped = true;
        pending.push(() => {
          active -= 1;
          resolve();
        });
      }),
  );
  return {
    task,
    finishNext: async () => {
      pending.shift()?.();
      await new Promise(r => setTimeout(r, 0));
    },
    overlapped: () => overlapped,
  };
}

describe('coalesce', () => {
  it('folds calls during a run into one more run after it', async () => {
    const { task, finishNext, overlapped } = deferredTask();
    const run = coalesce(task);

    const first = run();
    const second = run();
    const third = run();
    expect(second).toBe(third);
    expect(task).toHaveBeenCalledTimes(1);

    await finishNext();
    await first;
    expect(task).toHaveBeenCalledTimes(2);
    await finishNext();
    await third;
    expect(task).toHaveBeenCalledTimes(2);
    expect(overlapped()).toBe(false);
  });

  it('runs again after a failed run, and rejects the call it covered', async () => {
    const task = jest
      .fn<Promise<void>, []>()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const run = coalesce(task);

    await expect(run()).rejects.toThrow('down');
    await expect(run()).resolves.toBeUndefined();
    expect(task).toHaveBeenCalledTimes(2);
  });
});
