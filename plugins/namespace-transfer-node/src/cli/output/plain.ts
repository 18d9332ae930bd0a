import type { CliRecord, Sink } from '../records';
import { describe, progressLine } from './human';

/** Not a terminal (a log, a pipe): one line per event, progress at most every few seconds per transfer. */
export function plainSink(
  out: NodeJS.WritableStream = process.stdout,
  progressEveryMs = 5000,
): Sink {
  const lastProgress = new Map<string, number>();
  const stamp = () => new Date().toISOString().slice(11, 19);
  return {
    write: (r: CliRecord) => {
      if (r.type === 'progress') {
        const now = Date.now();
        if (now - (lastProgress.get(r.transfer) ?? 0) < progressEveryMs) return;
        lastProgress.set(r.transfer, now);
        out.write(`${stamp()} ${progressLine(r)}\n`);
        return;
      }
      const line = describe(r);
      if (line) out.write(`${stamp()} ${line}\n`);
    },
    close: () => undefined,
  };
}
