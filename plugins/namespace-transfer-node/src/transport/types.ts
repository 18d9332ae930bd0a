import type { V1SecurityContext } from '@kubernetes/client-node';
import type { TransportKind } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferCredentials } from '../pki';
import type { HostPort, PodLayout, Ports, Side } from '../sides';

/**
 * Where the client reaches the server's exposure (from the endpoint seam once it has an address).
 *
 * @public
 */
export interface EndpointAddress {
  host: string;
  port: number;
  /** TLS server name to send; Route/Ingress passthrough routes on it */
  sni: string;
}

/** @public */
export interface SeamContext {
  transferId: string;
  credentials: TransferCredentials;
  layout: PodLayout;
  ports: Ports;
  image: string;
  securityContext: V1SecurityContext;
}

/**
 * Crane's "Transport": the encrypted channel between the two pods. It decides where the mover server
 * listens and where the mover client connects, and contributes sidecars plus their Secret/ConfigMap data.
 *
 * @public
 */
export interface Transport {
  readonly kind: TransportKind;
  /** true when the channel itself encrypts and authenticates; `null` relies on the mover doing so */
  readonly encrypts: boolean;
  /** where the mover server must listen in the server pod */
  moverListen(ctx: SeamContext): HostPort;
  /** where the mover client must connect in the client pod */
  moverConnect(ctx: SeamContext, endpoint: EndpointAddress): HostPort;
  server(ctx: SeamContext): Side;
  client(ctx: SeamContext, endpoint: EndpointAddress): Side;
  /**
   * A file in the client pod that appears once the channel's local end accepts connections, for the
   * mover to wait on; none when the mover connects to the endpoint itself.
   */
  clientReadyFile?(ctx: SeamContext): string;
}

/**
 * Secret keys shared by the seams that use the per-transfer PKI (they must hold identical values).
 *
 * @public
 */
export const SECRET_KEYS = {
  ca: 'ca.crt',
  cert: 'tls.crt',
  key: 'tls.key',
} as const;
