import type {
  MoverKind,
  ProgressSample,
  TransferResultSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { PermissionRepair } from '../permissions';
import type { HostPort, ModuleSpec, PodLayout, Side } from '../sides';
import type { EndpointAddress, SeamContext } from '../transport';

/** @public */
export interface MoverServerContext extends SeamContext {
  modules: ModuleSpec[];
  /** where to listen (decided by the transport) */
  listen: HostPort;
}

/** @public */
export interface MoverClientOptions {
  /** remove destination files that are gone from the source (a re-sync of a staged copy) */
  delete: boolean;
  /** attempts per module before the client gives up */
  maxAttempts: number;
  /** first backoff delay in seconds; doubles per attempt up to `maxBackoffSeconds` */
  initialBackoffSeconds: number;
  maxBackoffSeconds: number;
  /**
   * What progress totals are measured against, before the sync starts:
   * - `dry-run` asks the server what the sync would send: exact whatever the destination holds, but a
   *   walk of both trees and a connection more;
   * - `source` counts the source tree locally: exact only when the destination is known to be empty
   *   (the first sync into a newly provisioned volume), and no network round trip;
   * - `none` leaves it to the mover's own percentage (a small delta after staging).
   */
  totals: 'dry-run' | 'source' | 'none';
  permissions: PermissionRepair;
  /** compare instead of copy: checksum every file (`full`) or a random share of them (`sample`) */
  verify?: VerifyOptions;
  /**
   * compare right after a successful sync, in the same client: a cutover then pays for one pod start and
   * one connection set-up inside the downtime, not two
   */
  verifyAfterSync?: VerifyOptions;
}

/** @public */
export interface VerifyOptions {
  mode: 'full' | 'sample';
  /** share of the files a `sample` checksums (default 0.1) */
  sampleRatio?: number;
}

/**
 * A client run's outcome. A run with `verifyAfterSync` carries the comparison's own outcome beside the
 * sync's (absent when the sync failed, so nothing was compared).
 *
 * @public
 */
export interface MoverRunResult extends TransferResultSummary {
  verification?: TransferResultSummary;
}

/** @public */
export const DEFAULT_CLIENT_OPTIONS: MoverClientOptions = {
  delete: false,
  maxAttempts: 5,
  initialBackoffSeconds: 2,
  maxBackoffSeconds: 60,
  totals: 'dry-run',
  permissions: { preserveOwners: false },
};

/** @public */
export interface MoverClientContext extends SeamContext {
  modules: ModuleSpec[];
  /** where to connect (decided by the transport) */
  connect: HostPort;
  /** a file that appears once `connect` accepts connections (the transport's `clientReadyFile`) */
  connectReadyFile?: string;
  /** the exposure's address, for movers that speak TLS themselves */
  endpoint: EndpointAddress;
  options: MoverClientOptions;
  /** the server pod's layout (where the destination PVC is mounted there) */
  remoteLayout: PodLayout;
}

/**
 * Turns a mover's output stream into samples while it runs, and into a result when it has exited.
 *
 * @public
 */
export interface MoverOutputParser {
  push(chunk: string): ProgressSample[];
  finish(exitCode: number): MoverRunResult;
}

/**
 * Crane's "Transfer": the data mover. It contributes the server containers (in the destination pod,
 * mounting the new PVC) and client containers (in the source pod, mounting the source PVC), and reads
 * its own output. Adding a mover (restic, say) means adding an implementation of this, its kind to MoverKind, nothing else.
 *
 * @public
 */
export interface Transfer {
  readonly kind: MoverKind;
  /** encrypts and mutually authenticates by itself, so it may run over the `null` transport */
  readonly encrypts: boolean;
  /** can run behind a transport that terminates TLS in a sidecar (listens on the pod's loopback) */
  readonly supportsSidecarTransport: boolean;
  /** preserves hard links, sparse files, owners/modes: reported in the plan */
  readonly fidelity: {
    hardLinks: boolean;
    sparse: boolean;
    modes: boolean;
    symlinks: boolean;
    xattrs: boolean;
  };
  server(ctx: MoverServerContext): Side;
  client(ctx: MoverClientContext): Side;
  createOutputParser(now?: () => Date): MoverOutputParser;
}

/**
 * Lines the client scripts print so that parsers know which section of the output they read.
 *
 * @public
 */
export const MARKER = '### nstransfer';
