import {
  isTerminalPhase,
  isTransferPhase,
  type TransferLogEvent,
  type TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/*
 * The pictures of one transfer, read from its event log as the backend writes it: a `progress` event's
 * payload is the progress summary (bytesDone, bytesTotal, rateBytesPerSecond, … each present once the mover
 * knew it), a `phase` event's is `{ phase }`, a `state` event's is `{ from, to, action, attempt }`.
 */

/** One point of a transfer's throughput over time. */
export interface ThroughputSample {
  /** epoch milliseconds */
  at: number;
  bytesPerSecond: number;
  bytesDone: number;
}

/** How long a run stayed in one phase. */
export interface PhaseSpan {
  phase: TransferPhase;
  /** the attempt the phase belongs to (1 for the first run; a retry adds one) */
  attempt: number;
  /** epoch milliseconds */
  start: number;
  /** absent while the run is still in the phase */
  end?: number;
  /** until `end`, or until now for the phase the run is in */
  durationMs: number;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

function timeOf(event: TransferLogEvent): number | undefined {
  const at = Date.parse(event.at);
  return Number.isNaN(at) ? undefined : at;
}

/** The rate between two samples of the same run; undefined across a restart (the bytes went down). */
function rateBetween(
  previous: ThroughputSample | undefined,
  at: number,
  bytesDone: number,
): number | undefined {
  if (!previous || at <= previous.at || bytesDone < previous.bytesDone) {
    return undefined;
  }
  return ((bytesDone - previous.bytesDone) * 1000) / (at - previous.at);
}

/**
 * The progress samples as points, in the log's order (oldest first). The mover's own rate is used where it reported one (it
 * averages over its own window); otherwise the rate is derived from the previous sample, and a sample that
 * starts over (a new attempt, a mover retry) or the first one without a rate counts as 0 B/s.
 */
export function throughputSamples(
  events: readonly TransferLogEvent[],
): ThroughputSample[] {
  const samples: ThroughputSample[] = [];
  for (const event of events) {
    if (event.kind !== 'progress') continue;
    const at = timeOf(event);
    const bytesDone = finiteNumber(event.payload.bytesDone);
    if (at === undefined || bytesDone === undefined) continue;
    const reported = finiteNumber(event.payload.rateBytesPerSecond);
    const derived = rateBetween(samples[samples.length - 1], at, bytesDone);
    samples.push({
      at,
      bytesDone,
      bytesPerSecond: Math.max(0, reported ?? derived ?? 0),
    });
  }
  return samples;
}

/** A state event that takes the transfer out of `running`: the run stopped (staged, ended, handed back). */
function stopsTheRun(event: TransferLogEvent): boolean {
  return (
    event.kind === 'state' &&
    event.payload.from === 'running' &&
    event.payload.to !== 'running'
  );
}

/**
 * The phases the runs went through, oldest first. A phase lasts until the next phase starts or the run
 * stops (a state change out of `running`: staged, failed, succeeded…); the terminal phases (Succeeded,
 * Failed, Cancelled) only end the one before them. The phase a running transfer is in has no end and lasts
 * until `now`.
 */
export function phaseSpans(
  events: readonly TransferLogEvent[],
  now: number,
): PhaseSpan[] {
  const spans: PhaseSpan[] = [];
  let open: PhaseSpan | undefined;
  let attempt = 1;
  const close = (at: number) => {
    if (!open) return;
    open.end = Math.max(open.start, at);
    open.durationMs = open.end - open.start;
    open = undefined;
  };
  for (const event of events) {
    const at = timeOf(event);
    if (at === undefined) continue;
    if (event.kind === 'state') {
      attempt = finiteNumber(event.payload.attempt) ?? attempt;
      if (stopsTheRun(event)) close(at);
    }
    if (event.kind !== 'phase' || !isTransferPhase(event.payload.phase)) {
      continue;
    }
    close(at);
    if (isTerminalPhase(event.payload.phase)) continue;
    open = { phase: event.payload.phase, attempt, start: at, durationMs: 0 };
    spans.push(open);
  }
  if (open) open.durationMs = Math.max(0, now - open.start);
  return spans;
}
