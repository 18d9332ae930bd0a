import type { EndpointAddress } from '../transport';
import type { Endpoint, EndpointContext, ObservedExposure } from './types';

/** @public */
export class EndpointTimeoutError extends Error {
  constructor(
    readonly endpoint: string,
    readonly waitedMs: number,
    what: string,
  ) {
    super(
      `${endpoint} endpoint never got an address: waited ${Math.round(waitedMs / 1000)}s for ${what}`,
    );
    this.name = 'EndpointTimeoutError';
  }
}

/** @public */
export interface WaitOptions {
  read: () => Promise<ObservedExposure>;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Polls until the exposure has an address; the timeout error names the exposure and what never came.
 *
 * @public
 */
export async function waitForAddress(
  endpoint: Endpoint,
  ctx: EndpointContext,
  opts: WaitOptions,
): Promise<EndpointAddress> {
  const now = opts.now ?? Date.now;
  const sleep =
    opts.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)));
  const start = now();
  let interval = opts.intervalMs ?? 500;
  for (;;) {
    opts.signal?.throwIfAborted();
    const address = endpoint.address(ctx, await opts.read());
    if (address) return address;
    const waited = now() - start;
    if (waited >= opts.timeoutMs)
      throw new EndpointTimeoutError(
        endpoint.kind,
        waited,
        endpoint.waitingFor(ctx),
      );
    await sleep(Math.min(interval, opts.timeoutMs - waited));
    interval = Math.min(interval * 2, 5000);
  }
}
