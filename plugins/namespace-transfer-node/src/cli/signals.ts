/**
 * Ctrl-C (or SIGTERM) once: abort through the engine's AbortSignal, which rolls back and cleans up.
 * Twice: leave at once; the transfer's objects may remain and `nstransfer cleanup` removes them.
 */
export function cancelOnSignals(
  onFirst: (signal: string) => void,
  onSecond: (signal: string) => void,
): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (!ac.signal.aborted) {
      onFirst(sig);
      ac.abort(new Error(`cancelled by ${sig}`));
    } else {
      onSecond(sig);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
