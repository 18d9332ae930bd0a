/**
 * Polls until `fn` returns something truthy, for integration tests that wait on controllers, kubelets
 * or watches. Errors thrown meanwhile count as "not yet" and the last one is reported on timeout, so a
 * test that never converges says why.
 */
export async function waitFor<T>(
  what: string,
  fn: () =>
    Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
