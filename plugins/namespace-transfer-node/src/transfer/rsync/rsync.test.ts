import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRsyncOutputParser, rsyncClientScript, rsyncdConfig } from '.';
import { POD_LAYOUT, DEFAULT_PORTS } from '../../sides';
import {
  DEFAULT_CLIENT_OPTIONS,
  type MoverClientContext,
  type MoverClientOptions,
} from '../types';
import type { TransferCredentials } from '../../pki';

const credentials = {
  transferId: 't1',
  caPem: '',
  server: { certPem: '', keyPem: '' },
  client: { certPem: '', keyPem: '' },
  serverName: 's',
  clientName: 'c',
  moverUser: 'nstransfer',
  moverPassword: 'pw',
} satisfies TransferCredentials;

// recorded from rsync 3.5.0 (estimate dry run, a failed attempt, then the sync), \r-separated as rsync writes
const OUTPUT = [
  '### nstransfer estimate module=vol1\n',
  'Number of files: 55 (reg: 52, dir: 2, link: 1)\n',
  'Number of regular files transferred: 51\n',
  'Total file size: 60,000,144 bytes\n',
  'Total transferred file size: 30,000,141 bytes\n',
  '### nstransfer sync module=vol1 attempt=1\n',
  'rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)\n',
  'rsync error: error in socket IO (code 10) at clientserver.c(165) [sender=3.5.0]\n',
  '### nstransfer retry module=vol1 rc=10 delay=2\n',
  '### nstransfer sync module=vol1 attempt=2\n',
  '              4   0%    0.00kB/s    0:00:00 (xfr#1, to-chk=53/55)\r',
  '     15,000,119  50%  336.22MB/s    0:00:01 (xfr#42, to-chk=9/55)\r',
  '     30,000,141  100%  300.83MB/s    0:00:00 (xfr#51, to-chk=0/55)\n',
  '\nNumber of files: 55 (reg: 52, dir: 2, link: 1)\n',
  'Number of created files: 55 (reg: 52, dir: 2, link: 1)\n',
  'Number of regular files transferred: 51\n',
  'Total file size: 60,000,144 bytes\n',
  'Total transferred file size: 30,000,141 bytes\n',
  'sent 30,010,475 bytes  received 1,004 bytes  60,022,958.00 bytes/sec\n',
  '### nstransfer done\n',
].join('');

describe('rsync output parser', () => {
  it('turns progress2 lines into samples with exact totals and a stats2 block into a result', () => {
    let t = 0;
    const parser = createRsyncOutputParser(() => new Date((t += 1000)));
    const samples = [];
    // feed in awkward chunks: lines split anywhere
    for (let i = 0; i < OUTPUT.length; i += 7)
      samples.push(...parser.push(OUTPUT.slice(i, i + 7)));
    const result = parser.finish(0);
    expect(samples).toHaveLength(3);
    expect(samples[1]).toMatchObject({
      attempt: 2,
      bytesDone: 15_000_119,
      bytesTotal: 30_000_141,
      filesDone: 42,
      filesTotal: 51,
      etaSeconds: 1,
      percent: 50,
    });
    expect(samples[1].rate).toBeCloseTo(336.22 * 1024 * 1024, -2);
    expect(samples[2]).toMatchObject({ bytesDone: 30_000_141, percent: 100 });
    expect(result).toEqual({
      exitCode: 0,
      ok: true,
      attempts: 2,
      filesTotal: 55,
      filesTransferred: 51,
      bytesTotal: 60_000_144,
      bytesTransferred: 30_000_141,
      errors: [],
      warnings: [
        'recovered: rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)',
        'recovered: rsync error: error in socket IO (code 10) at clientserver.c(165) [sender=3.5.0]',
      ],
    });
  });

  it('throttles samples and reports failures', () => {
    const parser = createRsyncOutputParser(() => new Date(0));
    const s = parser.push(
      '### nstransfer sync module=a attempt=1\n  10  1%  1.00kB/s  0:00:09\r  20  2%  1.00kB/s  0:00:08\r### nstransfer failed module=a rc=23\n',
    );
    expect(s).toHaveLength(1);
    // without a dry run the total comes from rsync's own percentage
    expect(s[0].bytesTotal).toBe(1000);
    const r = parser.finish(23);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['module a failed with rsync exit code 23']);
  });

  const SYNCED = [
    '### nstransfer sync module=a attempt=1\n',
    'Number of files: 3 (reg: 2, dir: 1)\n',
    'Number of regular files transferred: 1\n',
    'Total file size: 30 bytes\n',
    'Total transferred file size: 10 bytes\n',
    '### nstransfer verify module=a mode=full\n',
  ].join('');

  it('a sync followed by a comparison: each has its own outcome', () => {
    const parser = createRsyncOutputParser(() => new Date(0));
    parser.push(
      `${SYNCED}>fc.T...... b.txt\n*deleting   stray\nNumber of files: 3 (reg: 2, dir: 1)\nTotal file size: 30 bytes\n### nstransfer done\n`,
    );
    const r = parser.finish(0);
    expect(r).toMatchObject({
      ok: true,
      filesTransferred: 1,
      bytesTransferred: 10,
      errors: [],
    });
    expect(r.verification).toMatchObject({
      ok: false,
      filesTotal: 3,
      bytesTotal: 30,
      differences: ['differs: b.txt', 'extra: stray'],
    });
  });

  it('a comparison that could not finish fails the comparison, not the sync before it', () => {
    const parser = createRsyncOutputParser(() => new Date(0));
    parser.push(
      `${SYNCED}rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)\n### nstransfer failed module=a rc=10\n`,
    );
    const r = parser.finish(10);
    expect(r).toMatchObject({ ok: true, exitCode: 0, errors: [] });
    expect(r.verification).toMatchObject({
      ok: false,
      exitCode: 10,
      differences: [],
      errors: [
        'rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)',
        'verification of module a failed with rsync exit code 10',
      ],
    });
    // a sync that failed never compared: no verification at all
    const p2 = createRsyncOutputParser(() => new Date(0));
    p2.push(
      '### nstransfer sync module=a attempt=1\n### nstransfer failed module=a rc=12\n',
    );
    const r2 = p2.finish(12);
    expect(r2.ok).toBe(false);
    expect(r2.verification).toBeUndefined();
    // a comparison whose sampling failed names the command that did
    const p3 = createRsyncOutputParser(() => new Date(0));
    p3.push(`${SYNCED}### nstransfer failed module=a rc=127 by=awk\n`);
    expect(p3.finish(127).verification?.errors).toEqual([
      'verification of module a failed with awk exit code 127',
    ]);
  });
});

describe('rsync configs', () => {
  it('daemon: no chroot, symlinks kept verbatim, one module per PVC confined by a filter', () => {
    const conf = rsyncdConfig(
      POD_LAYOUT,
      [{ name: 'vol1' }, { name: 'vol2' }],
      'nstransfer',
    );
    expect(conf).toContain('use chroot = no');
    expect(conf).toContain('munge symlinks = no');
    expect(conf).toContain('[vol1]');
    expect(conf).toContain(
      'filter = - /data/vol2/lost+found/ + /data/vol2 + /data/vol2/** - *',
    );
    expect(conf).toContain('auth users = nstransfer:rw');
    expect(conf).not.toMatch(/^uid|^gid/m);
  });

  it('client: fidelity flags, permission repair, retries with backoff, delete only on re-sync', () => {
    const ctx: MoverClientContext = {
      transferId: 't1',
      credentials,
      layout: POD_LAYOUT,
      ports: DEFAULT_PORTS,
      image: 'img',
      securityContext: {},
      modules: [{ name: 'vol1' }],
      connect: { host: '127.0.0.1', port: 8874 },
      endpoint: { host: 'h', port: 443, sni: 'h' },
      remoteLayout: POD_LAYOUT,
      options: {
        ...DEFAULT_CLIENT_OPTIONS,
        permissions: { preserveOwners: false, chmod: 'g+rwX' },
      },
    };
    const script = rsyncClientScript(ctx);
    for (const flag of [
      '--hard-links',
      '--sparse',
      '--partial',
      '--no-inc-recursive',
      "'--exclude=/lost+found/'",
      '--no-owner',
      "'--chmod=g+rwX'",
    ]) {
      expect(script).toContain(flag);
    }
    expect(script).toContain("fidelity='--acls --xattrs'");
    expect(script).toContain(
      "'rsync://nstransfer@127.0.0.1:8874/vol1/data/vol1/'",
    );
    expect(script).not.toContain('--delete');
    expect(script).not.toContain('pw');
    expect(
      rsyncClientScript({ ...ctx, options: { ...ctx.options, delete: true } }),
    ).toContain("'--delete'");
    expect(script).toMatch(/delay=\$\(\(delay \* 2\)\)/);
    expect(script).not.toContain('--checksum');
    // the channel: probed through the whole path, unless the transport says when its local end listens
    expect(script).toContain(
      "until rsync --contimeout=10 'rsync://127.0.0.1:8874/'",
    );
    const waiting = rsyncClientScript({
      ...ctx,
      connectReadyFile: '/var/run/nstransfer/stunnel.pid',
    });
    expect(waiting).toContain("until [ -e '/var/run/nstransfer/stunnel.pid' ]");
    expect(waiting).not.toContain('until rsync --contimeout');
    // totals: asked of the server, counted on the client (no daemon, no daemon-only flag), or not at all
    const estimate = (totals: MoverClientOptions['totals']) =>
      rsyncClientScript({ ...ctx, options: { ...ctx.options, totals } })
        .split('\n')
        .filter(l => l.includes('--dry-run'));
    expect(estimate('dry-run')).toEqual([
      expect.stringMatching(/--contimeout=30.* 'rsync:\/\/nstransfer@/),
    ]);
    expect(estimate('source')).toEqual([
      expect.stringMatching(
        /^rsync .*'\/var\/run\/nstransfer\/totals-vol1\/'$/,
      ),
    ]);
    expect(estimate('source')[0]).not.toMatch(/contimeout|rsync:\/\//);
    expect(estimate('none')).toEqual([]);
    // progress lines reach the log at most once a second; everything else passes
    expect(script).toContain('| lines | throttle');
    // and the real awk does that: three progress lines within a second become one
    const throttle = script.split('\n').find(l => l.startsWith('throttle()'))!;
    const out = execFileSync('/bin/sh', [
      '-c',
      `${throttle}\nprintf '  1,000  1%%  1.00MB/s  0:00:01\\n  2,000  2%%  1.00MB/s  0:00:01\\nNumber of files: 3\\n  3,000  3%%  1.00MB/s  0:00:01\\nrsync error: boom\\n' | throttle`,
    ]).toString();
    expect(out.split('\n').filter(Boolean)).toEqual(
      expect.arrayContaining(['Number of files: 3', 'rsync error: boom']),
    );
    expect(out.match(/%/g)?.length).toBeLessThanOrEqual(2); // a second may tick in between

    // cutover: the re-sync, then (only if it succeeded) a comparison that reports extras but deletes nothing
    const both = rsyncClientScript({
      ...ctx,
      options: {
        ...ctx.options,
        delete: true,
        verifyAfterSync: { mode: 'sample', sampleRatio: 0.2 },
      },
    });
    const [syncPart, verifyPart] = both.split('verify module=vol1');
    expect(syncPart).toContain("'--delete' '--delete-delay'");
    expect(syncPart).toMatch(/exit \$rc/);
    expect(verifyPart).toContain('--dry-run --checksum --itemize-changes');
    expect(verifyPart).toContain('r=0.2');
    expect(verifyPart).not.toContain('--delete-delay');

    // the sampling itself, run by the real sh, find and awk on a small tree
    const sampling = verifyPart
      .split('\n')
      .filter(l => l.includes('verify-vol1.') && !l.startsWith('until rsync'));
    expect(sampling).toHaveLength(3);
    const volume = sampling[0].match(/cd '([^']+)'/)![1];
    const scratch = POD_LAYOUT.scratchDir;
    const tmp = mkdtempSync(join(tmpdir(), 'nst-sample-'));
    try {
      const tree = join(tmp, 'vol');
      mkdirSync(join(tree, 'lost+found'), { recursive: true });
      mkdirSync(join(tmp, 'scratch'));
      for (const f of ['a', 'b', 'lost+found/x'])
        writeFileSync(join(tree, f), f);
      const lines = sampling
        .map(l =>
          l.split(volume).join(tree).split(scratch).join(join(tmp, 'scratch')),
        )
        .join('\n');
      // a ratio so small that no file would be drawn still checks one of a tree that has files
      const run = (path: string) =>
        spawnSync('/bin/sh', ['-c', lines.replace('r=0.2', 'r=0.000001')], {
          env: { PATH: path },
        });
      const ok = run(process.env.PATH!);
      expect(ok.status).toBe(0);
      expect(ok.stdout.toString()).toMatch(/sampled 1 of 2 files/);
      const list = readFileSync(
        join(tmp, 'scratch', 'verify-vol1.list'),
        'utf8',
      );
      expect(['./a\n', './b\n']).toContain(list);
      // without awk (find in a directory of its own), the sampling fails and says which command did
      const onlyFind = join(tmp, 'bin');
      mkdirSync(onlyFind);
      for (const c of ['find', 'wc'])
        execFileSync('ln', [
          '-s',
          execFileSync('sh', ['-c', `command -v ${c}`])
            .toString()
            .trim(),
          join(onlyFind, c),
        ]);
      const noAwk = run(onlyFind);
      expect(noAwk.status).toBe(127);
      expect(noAwk.stdout.toString()).toContain(
        '### nstransfer failed module=vol1 rc=127 by=awk',
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
