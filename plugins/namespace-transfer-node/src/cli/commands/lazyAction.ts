/**
 * An action that loads its module when the command runs: the command tree (names, flags, help) must load
 * without the Kubernetes client and the engine, which take most of the start-up time of `--help`.
 */
export function lazyAction<A extends unknown[]>(
  load: () => Promise<(...args: A) => Promise<void>>,
): (...args: A) => Promise<void> {
  return async (...args: A) => (await load())(...args);
}
