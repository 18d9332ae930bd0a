import { PassThrough } from 'node:stream';
import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { UsageError } from './exitCodes';
import {
  parseLabels,
  parsePairs,
  transferOptions,
  type EngineFlags,
} from './flags';
import { resultText } from './output/human';
import { plainSink } from './output/plain';
import { planTable } from './output/planTable';
import { ttySink } from './output/tty';
import type { CliRecord } from './records';
import { viewRun } from './state';

const flags = (over: Partial<EngineFlags> = {}): EngineFlags => ({
  namespace: [],
  namespaceMap: [],
  storageClassMap: [],
  label: [],
  mode: 'auto',
  intent: 'move',
  quiesce: true,
  stage: true,
  concurrency: 2,
  ...over,
});

describe('flags', () => {
  it('--label takes Kubernetes label names and values, and refuses anything else', () => {
    expect(
      parseLabels([
        'backstage.io/kubernetes-id=orders-api',
        'tier=',
        'a_b=c.d',
      ]),
    ).toEqual({
      'backstage.io/kubernetes-id': 'orders-api',
      tier: '',
      a_b: 'c.d',
    });
    for (const bad of [
      'novalue',
      'bad key=x',
      'k=has space',
      `k=${'x'.repeat(64)}`,
      '/k=v',
    ])
      expect(() => parseLabels([bad])).toThrow(/--label takes key=value/);
  });

  it('passes only what was given, so the plan reports the defaults', () => {
    expect(transferOptions(flags())).toEqual({});
    expect(
      transferOptions(
        flags({
          mover: 'rclone',
          transport: 'null',
          endpoint: 'route',
          quiesce: false,
          stage: false,
          verify: 'sample',
          verifySampleRatio: 0.3,
          maxAttempts: 2,
          runAsUser: 0,
        }),
      ),
    ).toEqual({
      mover: 'rclone',
      transport: 'null',
      endpoint: 'route',
      quiesce: false,
      stage: false,
      verify: 'sample',
      verifySampleRatio: 0.3,
      maxAttempts: 2,
      runAsUser: 0,
    });
  });

  it('refuses contradictions as usage errors', () => {
    expect(() => transferOptions(flags({ verifySampleRatio: 0.5 }))).toThrow(
      UsageError,
    );
    expect(() =>
      transferOptions(flags({ deleteSource: true, intent: 'clone' })),
    ).toThrow(/contradicts/);
    expect(() => parsePairs('--storage-class-map', ['fast'])).toThrow(
      /<source>=<destination>/,
    );
    expect(
      parsePairs('--storage-class-map', ['fast=gold', 'slow=std']),
    ).toEqual({ fast: 'gold', slow: 'std' });
  });
});

const plan: Plan = {
  transferId: 't1',
  source: {
    cluster: 'east',
    namespace: 'shop',
    name: 'data',
    accessModes: ['ReadWriteOnce'],
    capacityBytes: 2 ** 30,
  },
  destination: {
    cluster: 'west',
    namespace: 'shop',
    name: 'data',
    storageClassName: 'fast',
    sizeBytes: 2 ** 30,
    exists: false,
  },
  mode: 'copy',
  modeReason: 'requested explicitly',
  intent: 'move',
  mover: 'rsync',
  transport: 'stunnel',
  endpoint: 'route',
  workloads: [
    { kind: 'Deployment', namespace: 'shop', name: 'web', replicas: 1 },
  ],
  podSecurity: {},
  estimatedSeconds: 31,
  estimatedDowntimeSeconds: 21,
  warnings: ['w1'],
  refusals: [{ code: 'DestinationExists', message: 'taken' }],
  allowed: false,
};

it('plan table: a row per plan, then reasons, refusals and warnings', () => {
  const out = planTable([plan]).split('\n');
  expect(out[1].split(/\s+/)).toEqual([
    'east/shop/data',
    'west/shop/data',
    'copy',
    'move',
    'rsync',
    'stunnel',
    'route',
    '1',
    'GiB',
    'fast',
    '31s',
    '21s',
    'REFUSED',
  ]);
  expect(out).toContain('shop/data: refused: DestinationExists: taken');
  expect(out).toContain('shop/data: warning: w1');
  expect(out).toContain('shop/data: stops Deployment web');
});

const at = '2026-01-01T00:00:00.000Z';
const run: CliRecord[] = [
  {
    type: 'start',
    runId: 'r1',
    pid: 999_999_999,
    at,
    command: 'run',
    transfers: [
      { transfer: 't1', pvc: 'shop/data', destination: 'west/shop/data' },
    ],
  },
  { type: 'phase', transfer: 't1', pvc: 'shop/data', phase: 'Staging', at },
  {
    type: 'progress',
    transfer: 't1',
    pvc: 'shop/data',
    run: 'stage-1',
    at,
    attempt: 1,
    bytesDone: 512,
    bytesTotal: 1024,
    rate: 100,
    etaSeconds: 5,
  },
];

describe('state view', () => {
  it('a run whose process is gone without a summary is lost; with one it is finished', () => {
    expect(viewRun('r1', run)).toMatchObject({
      state: 'lost',
      transfers: [
        { transfer: 't1', phase: 'Staging', progress: { bytesDone: 512 } },
      ],
    });
    const summary: CliRecord = {
      type: 'summary',
      runId: 'r1',
      exitCode: 0,
      ok: true,
      cancelled: false,
      succeeded: 1,
      failed: 0,
      transfers: [],
      at,
    };
    expect(viewRun('r1', [...run, summary])).toMatchObject({
      state: 'finished',
      summary: { exitCode: 0 },
    });
  });

  it('only the latest attempt counts (a cutover appends to the staging run)', () => {
    const again: CliRecord = {
      ...(run[0] as Extract<CliRecord, { type: 'start' }>),
      pid: process.pid,
      command: 'cutover',
    };
    const v = viewRun('r1', [...run, again]);
    expect(v).toMatchObject({
      state: 'running',
      command: 'cutover',
      transfers: [{ transfer: 't1' }],
    });
    expect(v.transfers[0].phase).toBeUndefined();
  });
});

describe('human outputs', () => {
  const collect = (s: PassThrough) => {
    let text = '';
    s.on('data', b => (text += b));
    return () => text;
  };

  it('plain: phases and results as lines; progress every 2 s with real bytes and rate, and each sync ends with its totals', () => {
    const out = new PassThrough();
    const text = collect(out);
    let clock = Date.parse('2026-12-05T10:00:00Z');
    const sink = plainSink(out, 2000, () => clock);
    const about = { transfer: 't1', pvc: 'shop/data' } as const;
    const sample = (ms: number, bytesDone: number, more = {}) => {
      clock += ms;
      sink.write({
        type: 'progress',
        ...about,
        run: 'stage-1',
        at,
        attempt: 1,
        bytesDone,
        bytesTotal: 4 * 2 ** 20,
        filesTotal: 40,
        ...more,
      });
    };
    sink.write(run[1]);
    sample(0, 0, { percent: 0, rate: 0, etaSeconds: 0 }); // nothing moved yet: not worth a line
    sample(500, 2 ** 20, {
      percent: 25,
      filesDone: 10,
      rate: 2 ** 20,
      etaSeconds: 3,
    });
    sample(500, 2 * 2 ** 20, {
      percent: 50,
      filesDone: 20,
      rate: 2 ** 20,
      etaSeconds: 2,
    });
    sample(1600, 3 * 2 ** 20, {
      percent: 75,
      filesDone: 30,
      rate: 2 ** 20,
      etaSeconds: 1,
    });
    sample(300, 4 * 2 ** 20, { percent: 100, filesDone: 40 });
    sink.write({ type: 'step', ...about, step: 'sync-stage-1', at });
    sink.write({
      type: 'result',
      ...about,
      destination: 'west/shop/data',
      ok: false,
      phase: 'Failed',
      error: 'boom',
    });
    expect(
      text()
        .split('\n')
        .filter(Boolean)
        .map(l => l.slice(9)),
    ).toEqual([
      '[shop/data] Staging',
      '[shop/data] stage-1: 1 MiB of 4 MiB (25%), 10/40 files, 1 MiB/s, 3s left',
      '[shop/data] stage-1: 3 MiB of 4 MiB (75%), 30/40 files, 1 MiB/s, 1s left',
      '[shop/data] stage-1: 4 MiB of 4 MiB (100%), 40/40 files',
      '[shop/data] failed: boom',
    ]);
  });

  it('a finished transfer is told by its totals, time, downtime and verification', () => {
    expect(
      resultText({
        transfer: 't1',
        pvc: 'shop/data',
        destination: 'west/shop/data',
        ok: true,
        phase: 'Succeeded',
        mode: 'copy',
        bytes: 16 * 2 ** 20,
        files: 501,
        durationMs: 42_000,
        downtimeMs: 1_400,
        verified: { mode: 'full', files: 501 },
      }),
    ).toBe(
      'copy to west/shop/data succeeded, 16 MiB in 501 files, took 42s, downtime 1s, verified (full: 501 files)',
    );
  });

  it('tty: a bar per PVC with bytes, rate, ETA and phase', async () => {
    const out = new PassThrough() as PassThrough & {
      isTTY: boolean;
      columns: number;
      cursorTo: () => boolean;
      clearLine: () => boolean;
      moveCursor: () => boolean;
      clearScreenDown: () => boolean;
    };
    Object.assign(out, {
      isTTY: true,
      columns: 200,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      clearScreenDown: () => true,
    });
    const text = collect(out);
    const sink = ttySink(out as unknown as NodeJS.WriteStream);
    for (const r of run) sink.write(r);
    await sink.close();
    expect(text()).toMatch(
      /shop\/data \|.*\| +50% 512 B\/1 KiB 100 B\/s ETA 5s Staging \(stage-1\)/,
    );
  });
});
