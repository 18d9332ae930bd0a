import type { TransportKind } from '@namespace-transfer/plugin-namespace-transfer-common';
import { nullTransport } from './null';
import { stunnelTransport } from './stunnel';
import type { Transport } from './types';

export * from './types';
export { stunnelTransport } from './stunnel';
export { stunnelClientConfig, stunnelServerConfig } from './stunnel/config';
export { nullTransport } from './null';

const TRANSPORTS: Record<TransportKind, Transport> = {
  stunnel: stunnelTransport,
  null: nullTransport,
};

/** @public */
export function transportFor(kind: TransportKind): Transport {
  return TRANSPORTS[kind];
}
