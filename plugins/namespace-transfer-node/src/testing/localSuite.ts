/**
 * Test support: the set-up the real mover tests share. A temporary root holds a client side (a source tree
 * owned by the source pod's identity) and a server side (prepared by the test), a server runs for the whole
 * suite, and `run` syncs against it with fast retries.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransferCredentials, type TransferCredentials } from '../pki';
import type { ModuleSpec } from '../sides';
import {
  DEFAULT_CLIENT_OPTIONS,
  type MoverClientOptions,
  type Transfer,
} from '../transfer/types';
import type { Transport } from '../transport';
import { randomLoopback } from './localContainers';
import {
  runLocalClient,
  startLocalServer,
  type LocalClientRun,
  type LocalServer,
} from './localTransfer';
import { buildTree, chownTree, type TreeOptions } from './trees';

export const SOURCE_ID = { uid: 1001, gid: 1001 };
export const DEST_ID = { uid: 1002, gid: 1003 };
const modules: ModuleSpec[] = [{ name: 'vol1' }];

export interface LocalSuitePaths {
  root: string;
  /** the source volume, below the client side */
  src: string;
  /** the destination volume, below the server side */
  dst: string;
}

export interface LocalSuite {
  readonly root: string;
  readonly creds: TransferCredentials;
  readonly server: LocalServer;
  src(): string;
  dst(): string;
  /** one client run; the suite's own credentials unless others are given */
  run(
    options?: Partial<MoverClientOptions>,
    credentials?: TransferCredentials,
  ): Promise<LocalClientRun>;
}

/** Registers beforeAll/afterAll that build the trees, start the server and remove everything again. */
export function setupLocalSuite(opts: {
  tmpPrefix: string;
  transferId: string;
  mover: Transfer;
  transport: Transport;
  sourceTree: TreeOptions;
  /** runs after the source tree is built and owned by SOURCE_ID, before the server starts */
  prepare: (paths: LocalSuitePaths) => void;
  /** for a mover that checks the server certificate against the address it dials */
  certifyAddress?: boolean;
  /** defaults for every run of this suite, over DEFAULT_CLIENT_OPTIONS */
  clientOptions?: Partial<MoverClientOptions>;
}): LocalSuite {
  let root: string | undefined;
  let creds: TransferCredentials | undefined;
  let server: LocalServer | undefined;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the local suite is not set up yet');
    return v;
  };
  const src = () => join(ready(root), 'client', 'data', 'vol1');
  const dst = () => join(ready(root), 'server', 'data', 'vol1');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), opts.tmpPrefix));
    chmodSync(root, 0o755);
    buildTree(src(), opts.sourceTree);
    chownTree(join(root, 'client'), SOURCE_ID.uid, SOURCE_ID.gid);
    opts.prepare({ root, src: src(), dst: dst() });
    const address = randomLoopback();
    creds = await createTransferCredentials({
      transferId: opts.transferId,
      serverAltNames: opts.certifyAddress ? [address] : undefined,
    });
    server = await startLocalServer({
      root: join(root, 'server'),
      address,
      mover: opts.mover,
      transport: opts.transport,
      credentials: creds,
      modules,
      identity: DEST_ID,
    });
  });

  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  return {
    get root() {
      return ready(root);
    },
    get creds() {
      return ready(creds);
    },
    get server() {
      return ready(server);
    },
    src,
    dst,
    run: (options = {}, credentials = ready(creds)) => {
      const s = ready(server);
      return runLocalClient({
        root: join(ready(root), 'client'),
        mover: opts.mover,
        transport: opts.transport,
        credentials,
        modules,
        identity: SOURCE_ID,
        endpoint: s.endpoint,
        remoteLayout: s.layout,
        options: {
          ...DEFAULT_CLIENT_OPTIONS,
          initialBackoffSeconds: 1,
          ...opts.clientOptions,
          ...options,
        },
      });
    },
  };
}
