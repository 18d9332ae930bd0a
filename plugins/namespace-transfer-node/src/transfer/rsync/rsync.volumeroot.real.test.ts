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
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { stunnelTransport } from '../../transport';
import { rsyncTransfer } from '.';
import { chownTree, diffTrees, scanTree } from '../../testing/trees';
import { DEST_ID, SOURCE_ID, setupLocalSuite } from '../../testing/localSuite';

jest.setTimeout(120_000);

describe('rsync into a volume whose root directory belongs to another user', () => {
  const local = setupLocalSuite({
    tmpPrefix: 'nst-rsync-root-',
    transferId: 'tr-local-root',
    mover: rsyncTransfer,
    transport: stunnelTransport,
    sourceTree: { smallFiles: 50, sparseBytes: 1024 * 1024 },
    prepare: ({ root, src, dst }) => {
      // the source root differs from the destination root in mode and times: both would have to be set
      chmodSync(src, 0o750);
      utimesSync(
        src,
        new Date('2020-01-01T00:00:00Z'),
        new Date('2020-01-01T00:00:00Z'),
      );
      mkdirSync(dst, { recursive: true });
      chownTree(join(root, 'server'), DEST_ID.uid, DEST_ID.gid);
      chownSync(dst, 0, DEST_ID.gid);
      chmodSync(dst, 0o2775);
    },
    clientOptions: { maxAttempts: 2 },
  });
  const { src, dst, run } = local;

  const sameData = () => {
    const a = scanTree(src());
    const b = scanTree(dst());
    // the roots themselves are not compared (scanTree lists what is below them); lost+found is never sent
    for (const p of [...a.keys()]) if (p.startsWith('lost+found')) a.delete(p);
    return diffTrees(a, b);
  };

  it('syncs without a warning (the root keeping its attributes is expected) and keeps the root as it was', async () => {
    const r = await run();
    expect({
      exit: r.exitCode,
      errors: r.result.errors,
      attempts: r.result.attempts,
    }).toEqual({ exit: 0, errors: [], attempts: 1 });
    expect(r.result.warnings).toEqual([]);
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
    const resync = await run({ delete: true, totals: 'none' });
    expect({ exit: resync.exitCode, errors: resync.result.errors }).toEqual({
      exit: 0,
      errors: [],
    });
    expect(resync.result.filesTransferred).toBe(1);
    // the daemon and its sidecar are still the processes started at the beginning
    expect(
      local.server.containers.map(c => [c.name, c.process.exitCode]),
    ).toEqual([
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

  it('still reports a genuine problem, naming the file: one the mover identity cannot read', async () => {
    const secret = join(src(), 'small', 'd2', 'only-root.txt');
    writeFileSync(secret, 'root only');
    chownSync(secret, 0, 0);
    chmodSync(secret, 0o600);
    try {
      const r = await run({ delete: true, totals: 'none' });
      const said = [...r.result.errors, ...r.result.warnings].join('\n');
      expect(r.result.ok).toBe(false);
      expect(said).toMatch(/only-root\.txt.*Permission denied/);
      // the root's own attributes are still not among the complaints
      expect(said).not.toMatch(/failed to set times on "[^"]*\/\."/);
    } finally {
      rmSync(secret);
    }
  });
});
