import { isConflict } from './errors';

/**
 * Runs a read-modify-write until it is not rejected for a stale resourceVersion, as client-go's
 * RetryOnConflict: `attempt` must re-read the object each time.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<T>,
  tries = 8,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isConflict(e) || i >= tries - 1) throw e;
      await new Promise(r =>
        setTimeout(r, 10 * 2 ** i * (0.5 + Math.random())),
      );
    }
  }
}
