import type { CliRecord, Sink } from '../records';
import { describe, progressLine } from './human';

type Progress = Extract<CliRecord, { type: 'progress' }>;

/**
 * Not a terminal (a log, a pipe): one line per event; progress at most every `progressEveryMs` per
 * transfer, and a run's last sample is printed before the transfer's next event, so that every sync ends
 * with its totals.
 */
export function plainSink(
  out: NodeJS.WritableStream = process.stdout,
  progressEveryMs = 2000,
  now: () => number = Date.now,
): Sink {
  const lastPrinted = new Map<string, number>();
  const unprinted = new Map<string, Progress>();
  const stamp = () => new Date(now()).toISOString().slice(11, 19);
  const print = (r: Progress) => {
    unprinted.delete(r.transfer);
    lastPrinted.set(r.transfer, now());
    out.write(`${stamp()} ${progressLine(r)}\n`);
  };
  return {
    write: (r: CliRecord) => {
      if (r.type === 'progress') {
        // a sync that has not moved a byte yet has nothing to say
        if (r.bytesDone === 0 && !(r.percent !== undefined && r.percent >= 100))
          return;
        if (now() - (lastPrinted.get(r.transfer) ?? 0) < progressEveryMs)
          unprinted.set(r.transfer, r);
        else print(r);
        return;
      }
      const pending = 'transfer' in r ? unprinted.get(r.transfer) : undefined;
      if (pending) print(pending);
      const line = describe(r);
      if (line) out.write(`${stamp()} ${line}\n`);
    },
    close: () => {
      for (const r of [...unprinted.values()]) print(r);
    },
  };
}
