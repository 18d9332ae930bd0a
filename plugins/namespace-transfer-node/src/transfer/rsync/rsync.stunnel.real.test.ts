/**
 * Real test, no cluster: the rsync daemon and stunnel server, then the stunnel client and the rsync client
 * script, run as local non-root processes with exactly the configs the seams produce for pods, and move a
 * real tree. Requires rsync, stunnel and setpriv on the host (and root, to switch to the pod identities).
 */
import { existsSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createTransferCredentials } from '../../pki';
import { stunnelTransport } from '../../transport';
import { rsyncTransfer } from '.';
import { buildTree, chownTree, diffTrees, scanTree } from '../../testing/trees';
import { DEST_ID, SOURCE_ID, setupLocalSuite } from '../../testing/localSuite';

jest.setTimeout(180_000);

describe('rsync over stunnel, as local processes', () => {
  const local = setupLocalSuite({
    tmpPrefix: 'nst-rsync-',
    transferId: 'tr-local-1',
    mover: rsyncTransfer,
    transport: stunnelTransport,
    sourceTree: { smallFiles: 1500, sparseBytes: 256 * 1024 * 1024 },
    prepare: ({ root, dst }) => {
      buildTree(join(root, 'server', 'data'), {
        smallFiles: 0,
        sparseBytes: 8192,
      });
      chownTree(join(root, 'server', 'data'), DEST_ID.uid, DEST_ID.gid);
      // the destination starts empty apart from the filesystem's lost+found
      rmSync(dst, { recursive: true, force: true });
      require('node:fs').mkdirSync(join(dst, 'lost+found'), {
        recursive: true,
      });
      chownTree(join(root, 'server', 'data'), DEST_ID.uid, DEST_ID.gid);
    },
  });
  const { src, dst, run } = local;

  it('moves a tree intact: content, modes, times, symlinks, hard links, sparseness, owners', async () => {
    // the engine's first sync into a new volume: totals counted on the client, not asked of the server
    const run1 = await run({ totals: 'source' });
    expect({ exit: run1.exitCode, errors: run1.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    expect(run1.sidecarsExited).toBe(true);

    const a = scanTree(src());
    const b = scanTree(dst());
    a.delete('lost+found');
    a.delete('lost+found/fsck-debris');
    b.delete('lost+found');
    expect(diffTrees(a, b)).toEqual([]);
    expect(b.has('lost+found/fsck-debris')).toBe(false);

    // hard links arrive as one inode
    const orig = b.get('original')!;
    expect(b.get('hardlink')!.ino).toBe(orig.ino);
    expect(b.get('nested/deeper/third-link')!.ino).toBe(orig.ino);
    expect(orig.nlink).toBe(3);
    // the sparse file stays sparse
    const sparse = b.get('sparse.img')!;
    expect(sparse.size).toBe(256 * 1024 * 1024);
    expect(sparse.blocks * 512).toBeLessThan(1024 * 1024);
    // files land owned by the destination identity (no chown rights needed)
    for (const e of b.values()) expect(e.uid).toBe(DEST_ID.uid);

    // progress from the real output: exact totals from the local count, ending at 100%
    expect(run1.samples.length).toBeGreaterThan(0);
    const last = run1.samples[run1.samples.length - 1];
    expect(last.bytesTotal).toBeGreaterThan(0);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.percent).toBe(100);
    expect(last.attempt).toBe(1);
    expect(run1.result.ok).toBe(true);
    expect(run1.result.filesTransferred).toBeGreaterThan(1500);
    expect(run1.result.bytesTransferred).toBe(last.bytesTotal);
    expect(last.filesTotal).toBe(run1.result.filesTransferred);
    // the count created nothing on the client side
    expect(
      existsSync(join(local.root, 'client', 'scratch', 'totals-vol1')),
    ).toBe(false);
  });

  it('re-syncs only the delta and deletes what vanished from the source', async () => {
    writeFileSync(join(src(), 'small', 'd1', 'f1.txt'), 'changed content');
    unlinkSync(join(src(), 'small', 'd2', 'f2.txt'));
    writeFileSync(join(src(), 'new-file'), 'new');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    // asked of the server: only it knows what a destination that already holds data still lacks
    const run2 = await run({ delete: true, totals: 'dry-run' });
    expect({ exit: run2.exitCode, errors: run2.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    expect(run2.result.filesTransferred).toBe(2);
    const last = run2.samples[run2.samples.length - 1];
    expect({ total: last.bytesTotal, files: last.filesTotal }).toEqual({
      total: run2.result.bytesTransferred,
      files: 2,
    });
    const a = scanTree(src());
    const b = scanTree(dst());
    a.delete('lost+found');
    a.delete('lost+found/fsck-debris');
    b.delete('lost+found');
    expect(diffTrees(a, b)).toEqual([]);
    // the destination's own lost+found is protected from --delete
    expect(scanTree(dst()).has('lost+found')).toBe(true);
  });

  it('verifies with checksums and names every differing path', async () => {
    const ok = await run({ verify: { mode: 'full' } });
    expect({
      exit: ok.exitCode,
      differences: ok.result.differences,
      ok: ok.result.ok,
    }).toEqual({ exit: 0, differences: [], ok: true });
    expect(ok.result.filesTotal).toBeGreaterThan(1500);
    // same size and mtime, different content: only a checksum finds it
    const victim = join(dst(), 'small', 'd5', 'f5.txt');
    const before = require('node:fs').statSync(victim);
    const content = require('node:fs').readFileSync(victim, 'utf8');
    writeFileSync(victim, content.replace('file 5', 'FILE 5'));
    require('node:fs').utimesSync(victim, before.atime, before.mtime);
    unlinkSync(join(dst(), 'relative-link'));
    writeFileSync(join(dst(), 'stray'), 'not in the source');
    chownTree(dst(), DEST_ID.uid, DEST_ID.gid);
    const bad = await run({ verify: { mode: 'full' } });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.differences!.sort()).toEqual([
      'differs: relative-link',
      'differs: small/d5/f5.txt',
      'extra: stray',
    ]);
    const sampled = await run({
      verify: { mode: 'sample', sampleRatio: 1 },
    });
    expect(sampled.result.differences).toContain('differs: small/d5/f5.txt');
    // a re-sync with a comparison in the same run (a cutover's pod): rsync's quick check (size and
    // mtime) restores the link and removes the stray file but cannot see the changed content; the
    // comparison after it does, and it alone fails
    const resync = await run({
      delete: true,
      verifyAfterSync: { mode: 'full' },
    });
    expect({
      exit: resync.exitCode,
      ok: resync.result.ok,
      differences: resync.result.verification?.differences,
    }).toEqual({
      exit: 0,
      ok: true,
      differences: ['differs: small/d5/f5.txt'],
    });
    // put the destination right again for the next test
    writeFileSync(victim, content);
    require('node:fs').utimesSync(victim, before.atime, before.mtime);
    chownTree(dst(), DEST_ID.uid, DEST_ID.gid);
    const fixed = await run({
      delete: true,
      verifyAfterSync: { mode: 'full' },
    });
    expect(fixed.result.verification).toMatchObject({
      ok: true,
      differences: [],
      errors: [],
    });
    expect(fixed.result.verification!.filesTotal).toBeGreaterThan(1500);
  });

  it('refuses a client certificate issued by another transfer', async () => {
    const other = await createTransferCredentials({ transferId: 'tr-local-1' });
    writeFileSync(join(src(), 'should-not-arrive'), 'x');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    const bad = await run(
      { maxAttempts: 2 },
      { ...other, moverPassword: local.creds.moverPassword },
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.result.ok).toBe(false);
    expect(bad.result.attempts).toBe(2);
    expect(scanTree(dst()).has('should-not-arrive')).toBe(false);
    const serverLog = local.server.containers
      .find(c => c.name === 'stunnel')!
      .output();
    expect(serverLog).toMatch(
      /certificate verify failed|CERT: Verification error|unknown ca|unable to get local issuer/i,
    );
  });
});
