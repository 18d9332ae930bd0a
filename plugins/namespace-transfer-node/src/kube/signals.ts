/**
 * One signal that aborts when any of the given ones does (with its reason): a flow's waits end on a
 * cancel and on a hand-over alike, and the flow then asks which of the two it was.
 */
export function eitherSignal(
  ...signals: Array<AbortSignal | undefined>
): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length <= 1) return given[0];
  return AbortSignal.any(given);
}
