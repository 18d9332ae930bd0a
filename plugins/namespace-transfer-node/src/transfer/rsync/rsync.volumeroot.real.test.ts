/**
 * Real test, no cluster: the destination volume's root directory belongs to root (a provisioner made it,
 * the kubelet applied the fsGroup: group-owned, setgid, group-writable), as on a real cluster, and the
 * non-root daemon cannot set its times or mode. The sync must still succeed (the root's own attributes
 * are not data), the daemon must keep serving later runs, and verification must find no difference.
 */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransferCredentials, type TransferCredentials } from '../../pki';
import { stunnelTransport } from '../../transport';
import { rsyncTransfer } from '.';
import { DEFAULT_CLIENT_OPTIONS, type MoverClientOptions } from '../types';
import { buildTree, chownTree, diffTrees, scanTree } from '../../testing/trees';
import { randomLoopback } from '../../testing/localContainers';
import {
  runLocalClient,
  startLocalServer,
  type LocalServer,
} from '../../testing/localTransfer';

jest.setTimeout(120_000);

const SOURCE_ID = { uid: 1001, gid: 1001 };
const DEST_ID = { uid: 1002, gid: 1003 };
const modules = [{ name: 'vol1' }];

describe('rsync into a volume whose root directory belongs to another user', () => {
  let root: string;
  let creds: TransferCredentials;
  let server: LocalServer;
  const src = () => join(root, 'client', 'data', 'vol1');
  const dst = () => join(root, 'server', 'data', 'vol1');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nst-rsync-root-'));
    chmodSync(root, 0o755);
    buildTree(src(), { smallFiles: 50, sparseBytes: 1024 * 1024 });
    chownTree(join(root, 'client'), SOURCE_ID.uid, SOURCE_ID.gid);
    // the source root differs from the destination root in mode and times: both would have to be set
    chmodSync(src(), 0o750);
    utimesSync(
      src(),
      new Date('2020-01-01T00:00:00Z'),
      new Date('2020-01-01T00:00:00Z'),
    );
    mkdirSync(dst(), { recursive: true });
    chownTree(join(root, 'server'), DEST_ID.uid, DEST_ID.gid);
    chownSync(dst(), 0, DEST_ID.gid);
    chmodSync(dst(), 0o2775);

    creds = await createTransferCredentials({ transferId: 'tr-local-root' });
    server = await startLocalServer({
      root: join(root, 'server'),
      address: randomLoopback(),
      mover: rsyncTransfer,
      transport: stunnelTransport,
      credentials: creds,
      modules,
      identity: DEST_ID,
    });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const run = (options: Partial<MoverClientOptions> = {}) =>
    runLocalClient({
      root: join(root, 'client'),
      mover: rsyncTransfer,
      transport: stunnelTransport,
      credentials: creds,
      modules,
      identity: SOURCE_ID,
      endpoint: server.endpoint,
      remoteLayout: server.layout,
      options: {
        ...DEFAULT_CLIENT_OPTIONS,
        initialBackoffSeconds: 1,
        maxAttempts: 2,
        ...options,
      },
    });

  const sameData = () => {
    const a = scanTree(src());
    const b = scanTree(dst());
    // the roots themselves are not compared (scanTree lists what is below them); lost+found is never sent
    for (const p of [...a.keys()]) if (p.startsWith('lost+found')) a.delete(p);
    return diffTrees(a, b);
  };

  it('syncs, with a warning about the root only, and keeps the root as it was', async () => {
    const r = await run();
    expect({
      exit: r.exitCode,
      errors: r.result.errors,
      attempts: r.result.attempts,
    }).toEqual({ exit: 0, errors: [], attempts: 1 });
    expect(r.result.warnings.join('\n')).toMatch(/volume root/);
    expect(r.result.warnings.join('\n')).not.toMatch(
      /ACLs\/xattrs are not supported/,
    );
    expect(sameData()).toEqual([]);
    const st = statSync(dst());
    expect({ uid: st.uid, mode: st.mode & 0o7777 }).toEqual({
      uid: 0,
      mode: 0o2775,
    });
  });

  it('keeps the daemon serving: a re-sync and a verification after it succeed', async () => {
    writeFileSync(join(src(), 'small', 'd1', 'f1.txt'), 'changed');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    const resync = await run({ delete: true, exactTotals: false });
    expect({ exit: resync.exitCode, errors: resync.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    expect(resync.result.filesTransferred).toBe(1);
    // the daemon and its sidecar are still the processes started at the beginning
    expect(server.containers.map(c => [c.name, c.process.exitCode])).toEqual([
      ['stunnel', null],
      ['rsync-daemon', null],
    ]);
    const verify = await run({ verify: { mode: 'full' } });
    expect({
      exit: verify.exitCode,
      ok: verify.result.ok,
      differences: verify.result.differences,
    }).toEqual({ exit: 0, ok: true, differences: [] });
    expect(sameData()).toEqual([]);
  });
});
