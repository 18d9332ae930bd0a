/**
 * Wraps an async task so that runs never overlap and calls during a run fold into one more run after it:
 * ten signals in a burst cost at most two requests, and a later run always starts after an earlier one
 * ended (its answer cannot be overtaken by an older one). Each call's promise settles once a run that
 * started after the call has ended; a failing run rejects the calls it covered.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  const run = (): Promise<void> => {
    const current = task().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };

  return () => {
    if (queued) return queued;
    if (!running) return run();
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return run();
      });
    return queued;
  };
}
