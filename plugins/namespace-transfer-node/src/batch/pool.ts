/** @public */
export interface BatchOutcome<T> {
  key: string;
  ok: boolean;
  value?: T;
  error?: string;
}

/** @public */
export interface BatchOptions {
  concurrency: number;
  signal?: AbortSignal;
  onSettled?: (outcome: BatchOutcome<unknown>) => void;
}

/**
 * Runs tasks with at most `concurrency` at a time. One failure does not stop the others; a cancel stops
 * starting new ones and is passed to the running ones. Outcomes come back in the input order.
 *
 * @public
 */
export async function runBatch<T>(
  tasks: Array<{ key: string; run: (signal?: AbortSignal) => Promise<T> }>,
  opts: BatchOptions,
): Promise<BatchOutcome<T>[]> {
  if (!(opts.concurrency >= 1))
    throw new Error('concurrency must be at least 1');
  const outcomes: BatchOutcome<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= tasks.length) return;
      const { key, run } = tasks[i];
      if (opts.signal?.aborted) {
        outcomes[i] = { key, ok: false, error: 'cancelled before it started' };
      } else {
        try {
          outcomes[i] = { key, ok: true, value: await run(opts.signal) };
        } catch (e) {
          outcomes[i] = {
            key,
            ok: false,
            error: e instanceof Error ? e.message : String(e),
          };
        }
      }
      opts.onSettled?.(outcomes[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency, tasks.length) }, worker),
  );
  return outcomes;
}
