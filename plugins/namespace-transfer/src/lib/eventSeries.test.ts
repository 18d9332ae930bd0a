import type {
  TransferEventKind,
  TransferLogEvent,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { phaseSpans, throughputSamples } from './eventSeries';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const MiB = 1024 * 1024;

let nextId = 1;
function event(
  second: number,
  kind: TransferEventKind,
  payload: Record<string, unknown>,
): TransferLogEvent {
  return {
    id: String(nextId++),
    transferId: 'tr-1',
    at: new Date(T0 + second * 1000).toISOString(),
    kind,
    payload,
  };
}

const state = (second: number, from: string, to: string, attempt = 1) =>
  event(second, 'state', { from, to, action: 'run', attempt });
const phase = (second: number, name: string) =>
  event(second, 'phase', { phase: name });

describe('throughputSamples', () => {
  it("uses the mover's rate where it reported one", () => {
    const samples = throughputSamples([
      state(0, 'approved', 'running'),
      phase(1, 'Syncing'),
      event(2, 'progress', {
        bytesDone: 10 * MiB,
        bytesTotal: 100 * MiB,
        filesDone: 3,
        rateBytesPerSecond: 12 * MiB,
        etaSeconds: 8,
      }),
      event(3, 'warning', { message: 'file vanished: tmp/x' }),
      event(4, 'progress', {
        bytesDone: 40 * MiB,
        bytesTotal: 100 * MiB,
        rateBytesPerSecond: 15 * MiB,
        etaSeconds: 4,
      }),
    ]);
    expect(samples).toEqual([
      { at: T0 + 2000, bytesDone: 10 * MiB, bytesPerSecond: 12 * MiB },
      { at: T0 + 4000, bytesDone: 40 * MiB, bytesPerSecond: 15 * MiB },
    ]);
  });

  it('derives the rate from the previous sample when the mover gave none', () => {
    const samples = throughputSamples([
      event(10, 'progress', { bytesDone: 0, bytesTotal: 64 * MiB }),
      event(12, 'progress', { bytesDone: 16 * MiB, bytesTotal: 64 * MiB }),
      event(16, 'progress', { bytesDone: 64 * MiB, bytesTotal: 64 * MiB }),
    ]);
    expect(samples.map(s => s.bytesPerSecond)).toEqual([0, 8 * MiB, 12 * MiB]);
  });

  it('counts a restart (fewer bytes than before) as 0 B/s, not a negative rate', () => {
    const samples = throughputSamples([
      event(1, 'progress', { bytesDone: 30 * MiB }),
      state(2, 'running', 'failed'),
      state(5, 'failed', 'approved', 2),
      event(8, 'progress', { bytesDone: 2 * MiB }),
    ]);
    expect(samples[1]).toEqual({
      at: T0 + 8000,
      bytesDone: 2 * MiB,
      bytesPerSecond: 0,
    });
  });

  it('skips samples without a byte count and an empty log gives no points', () => {
    expect(
      throughputSamples([
        event(1, 'progress', { filesDone: 4 }),
        event(2, 'progress', { bytesDone: 'lots' }),
      ]),
    ).toEqual([]);
    expect(throughputSamples([])).toEqual([]);
  });
});

describe('phaseSpans', () => {
  it('lasts each phase until the next and ends the last at the terminal phase', () => {
    const events = [
      state(0, 'approved', 'running'),
      phase(1, 'Planning'),
      phase(2, 'Provisioning'),
      phase(5, 'Syncing'),
      phase(65, 'Verifying'),
      phase(70, 'CleaningUp'),
      phase(72, 'Succeeded'),
      state(72, 'running', 'succeeded'),
    ];
    expect(phaseSpans(events, T0 + 999_000)).toEqual([
      span('Planning', 1, 2),
      span('Provisioning', 2, 5),
      span('Syncing', 5, 65),
      span('Verifying', 65, 70),
      span('CleaningUp', 70, 72),
    ]);
  });

  it('leaves the current phase open and measures it until now', () => {
    const spans = phaseSpans(
      [state(0, 'approved', 'running'), phase(1, 'Syncing')],
      T0 + 31_000,
    );
    expect(spans).toEqual([
      { phase: 'Syncing', attempt: 1, start: T0 + 1000, durationMs: 30_000 },
    ]);
  });

  it('ends a phase when the run stops for a staged cutover, and resumes after it', () => {
    const spans = phaseSpans(
      [
        state(0, 'approved', 'running'),
        phase(1, 'Staging'),
        state(40, 'running', 'staged'),
        state(3600, 'staged', 'running'),
        phase(3601, 'Quiescing'),
        phase(3603, 'Syncing'),
        phase(3610, 'Succeeded'),
      ],
      T0 + 9_999_000,
    );
    expect(spans).toEqual([
      span('Staging', 1, 40),
      span('Quiescing', 3601, 3603),
      span('Syncing', 3603, 3610),
    ]);
  });

  it("tags a retry's phases with its attempt", () => {
    const spans = phaseSpans(
      [
        state(0, 'approved', 'running'),
        phase(1, 'Syncing'),
        event(9, 'error', { message: 'rsync exited with 23' }),
        state(10, 'running', 'failed'),
        state(20, 'failed', 'approved', 2),
        state(21, 'approved', 'running', 2),
        phase(22, 'Syncing'),
      ],
      T0 + 30_000,
    );
    expect(spans.map(s => [s.phase, s.attempt, s.end])).toEqual([
      ['Syncing', 1, T0 + 10_000],
      ['Syncing', 2, undefined],
    ]);
  });

  it('ignores unknown phases', () => {
    expect(phaseSpans([phase(1, 'Dancing')], T0 + 5000)).toEqual([]);
  });
});

function span(name: string, from: number, to: number) {
  return {
    phase: name,
    attempt: 1,
    start: T0 + from * 1000,
    end: T0 + to * 1000,
    durationMs: (to - from) * 1000,
  };
}
