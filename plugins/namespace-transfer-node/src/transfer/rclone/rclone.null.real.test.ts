/**
 * Real test, no cluster: `rclone serve webdav` with its own mutual TLS and the rclone client script run as
 * local non-root processes over the `null` transport, with exactly the containers the seams produce.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransferCredentials } from '../../pki';
import { nullTransport } from '../../transport';
import { rcloneTransfer } from '.';
import { chownTree, diffTrees, scanTree } from '../../testing/trees';
import { DEST_ID, SOURCE_ID, setupLocalSuite } from '../../testing/localSuite';

jest.setTimeout(180_000);

describe('rclone with its own mutual TLS over the null transport, as local processes', () => {
  const local = setupLocalSuite({
    tmpPrefix: 'nst-rclone-',
    transferId: 'tr-rclone-1',
    mover: rcloneTransfer,
    transport: nullTransport,
    sourceTree: { smallFiles: 300, sparseBytes: 16 * 1024 * 1024 },
    prepare: ({ root, dst }) => {
      mkdirSync(join(dst, 'lost+found'), { recursive: true });
      chownTree(join(root, 'server'), DEST_ID.uid, DEST_ID.gid);
    },
    // rclone checks the server certificate against the address it dials, so the endpoint's address is in it
    certifyAddress: true,
  });
  const { src, dst, run } = local;

  it('the null transport adds no containers: the mover alone holds the TLS material', () => {
    expect(local.server.containers.map(c => c.name)).toEqual(['rclone-server']);
  });

  it('moves content and symlinks (hard links become copies), skips lost+found, reports progress', async () => {
    const r = await run();
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
    const r = await run({ delete: true });
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
    const ok = await run({ verify: { mode: 'full' } });
    expect({ ok: ok.result.ok, differences: ok.result.differences }).toEqual({
      ok: true,
      differences: [],
    });
    expect(ok.result.filesTotal).toBeGreaterThan(250);
    writeFileSync(join(dst(), 'original'), 'tampered\n');
    writeFileSync(join(dst(), 'stray'), 'x');
    chownTree(dst(), DEST_ID.uid, DEST_ID.gid);
    const bad = await run({ verify: { mode: 'full' } });
    expect(bad.result.ok).toBe(false);
    expect(bad.result.differences!.sort()).toEqual([
      'differs: original',
      'extra: stray',
    ]);
    expect((await run({ delete: true })).exitCode).toBe(0);
  });

  it('refuses a client certificate issued by another transfer', async () => {
    const other = await createTransferCredentials({
      transferId: 'tr-rclone-1',
      serverAltNames: [local.server.endpoint.host],
    });
    writeFileSync(join(src(), 'should-not-arrive'), 'x');
    chownTree(src(), SOURCE_ID.uid, SOURCE_ID.gid);
    const bad = await run({ maxAttempts: 2 }, other);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.result.attempts).toBe(2);
    expect(scanTree(dst()).has('should-not-arrive')).toBe(false);
    // the client does not trust the other CA's server either, so the refusal is visible on both sides
    expect(bad.result.errors.join('\n')).toMatch(/certificate/i);
  });
});
