/**
 * Real test, no cluster: `rclone serve webdav` with its own mutual TLS and the rclone client script run as
 * local non-root processes over the `null` transport, with exactly the containers the seams produce.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransferCredentials, type TransferCredentials } from '../../pki';
import { nullTransport } from '../../transport';
import { rcloneTransfer } from '.';
import { DEFAULT_CLIENT_OPTIONS } from '../types';
import { buildTree, chownTree, diffTrees, scanTree } from '../../testing/trees';
import { randomLoopback } from '../../testing/localContainers';
import {
  runLocalClient,
  startLocalServer,
  type LocalServer,
} from '../../testing/localTransfer';

jest.setTimeout(180_000);

const SOURCE_ID = { uid: 1001, gid: 1001 };
const DEST_ID = { uid: 1002, gid: 1003 };
const modules = [{ name: 'vol1' }];

describe('rclone with its own mutual TLS over the null transport, as local processes', () => {
  let root: string;
  let creds: TransferCredentials;
  let server: LocalServer;
  const src = () => join(root, 'client', 'data', 'vol1');
  const dst = () => join(root, 'server', 'data', 'vol1');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nst-rclone-'));
    chmodSync(root, 0o755);
    buildTree(src(), { smallFiles: 300, sparseBytes: 16 * 1024 * 1024 });
    chownTree(join(root, 'client'), SOURCE_ID.uid, SOURCE_ID.gid);
    mkdirSync(join(dst(), 'lost+found'), { recursive: true });
    chownTree(join(root, 'server'), DEST_ID.uid, DEST_ID.gid);
    const address = randomLoopback();
    // rclone checks the server certificate against the address it dials, so the endpoint's address is in it
    creds = await createTransferCredentials({
      transferId: 'tr-rclone-1',
      serverAltNames: [address],
    });
    server = await startLocalServer({
      root: join(root, 'server'),
      address,
      mover: rcloneTransfer,
      transport: nullTransport,
      credentials: creds,
      modules,
      identity: DEST_ID,
    });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const run = (credentials: TransferCredentials, options = {}) =>
    runLocalClient({
      root: join(root, 'client'),
      mover: rcloneTransfer,
      transport: nullTransport,
      credentials,
      modules,
      identity: SOURCE_ID,
      endpoint: server.endpoint,
      remoteLayout: server.layout,
      options: {
        ...DEFAULT_CLIENT_OPTIONS,
        initialBackoffSeconds: 1,
        ...options,
      },
    });

  it('the null transport adds no containers: the mover alone holds the TLS material', () => {
    expect(server.containers.map(c => c.name)).toEqual(['rclone-server']);
  });

  it('moves content and symlinks (hard links become copies), skips lost+found, reports progress', async () => {
    const r = await run(creds);
    expect({ exit: r.exitCode, errors: r.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    const a = scanTree(src());
    const b = scanTree(dst());
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    // WebDAV carries neither modes, times, hard links nor holes: compare content, types and link targets
    expect(
      diffTrees(a, b, {
        modes: false,
        times: false,
        links: false,
        sparse: false,
      }),
    ).toEqual([]);
    expect(scanTree(dst()).has('lost+found/fsck-debris')).toBe(false);
    expect(b.get('absolute-link')!.target).toBe('/etc/hostname');
    expect(b.get('hardlink')!.ino).not.toBe(b.get('original')!.ino);
    for (const e of b.values()) expect(e.uid).toBe(DEST_ID.uid);

    expect(r.samples.length).toBeGreaterThan(0);
    const last = r.samples[r.samples.length - 1];
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBeGreaterThan(16 * 1024 * 1024);
    expect(r.result.bytesTransferred).toBe(last.bytesTotal);
    expect(r.result.filesTransferred).toBeGreaterThan(300);
  });

  it('sync mode deletes what vanished from the source', async () => {
    rmSync(join(src(), 'small', 'd3'), { recursive: true });
    writeFileSync(join(src(), 'added'), 'added');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    const r = await run(creds, { delete: true });
    expect({ exit: r.exitCode, errors: r.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    const b = scanTree(dst());
    expect(b.has('small/d3/f3.txt')).toBe(false);
    expect(b.has('added')).toBe(true);
    expect(b.has('lost+found')).toBe(true);
  });

  it('verifies by downloading and names differing and extra paths', async () => {
    const ok = await run(creds, { verify: { mode: 'full' } });
    expect({ ok: ok.result.ok, differences: ok.result.differences }).toEqual({
      ok: true,
      differences: [],
    });
    expect(ok.result.filesTotal).toBeGreaterThan(250);
    writeFileSync(join(dst(), 'original'), 'tampered\n');
    writeFileSync(join(dst(), 'stray'), 'x');
    chownTree(dst(), DEST_ID.uid, DEST_ID.gid);
    const bad = await run(creds, { verify: { mode: 'full' } });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.differences!.sort()).toEqual([
      'differs: original',
      'extra: stray',
    ]);
    expect((await run(creds, { delete: true })).exitCode).toBe(0);
  });

  it('refuses a client certificate issued by another transfer', async () => {
    const other = await createTransferCredentials({
      transferId: 'tr-rclone-1',
      serverAltNames: [server.endpoint.host],
    });
    writeFileSync(join(src(), 'should-not-arrive'), 'x');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    const bad = await run(other, { maxAttempts: 2 });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.result.attempts).toBe(2);
    expect(scanTree(dst()).has('should-not-arrive')).toBe(false);
    // the client does not trust the other CA's server either, so the refusal is visible on both sides
    expect(bad.result.errors.join('\n')).toMatch(/certificate/i);
  });
});
