// Progress bars with cli-progress, a well-kept terminal progress library (multi-bar, redraw, log above).
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CliRecord, Sink } from '../records';
import { formatBytes, formatDuration, formatRate } from './format';
import { describe } from './human';

interface BarState {
  bar: SingleBar;
  pvc: string;
  phase: string;
}

/** A terminal: one bar per PVC (bytes, rate, ETA, phase); other events are printed above the bars. */
export function ttySink(stream: NodeJS.WriteStream = process.stderr): Sink {
  const multi = new MultiBar(
    {
      // {total} and {eta} are cli-progress's own tokens (raw numbers): ours are {size} and {left}
      format:
        ' {pvc} |{bar}| {percentage}% {done}/{size} {speed} ETA {left} {phase}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      stream,
      fps: 5,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, BarState>();
  let summary: CliRecord | undefined;
  const bar = (transfer: string, pvc: string): BarState => {
    let b = bars.get(transfer);
    if (!b) {
      b = {
        bar: multi.create(1, 0, {
          pvc,
          done: '-',
          size: '-',
          speed: '-',
          left: '-',
          phase: 'Pending',
        }),
        pvc,
        phase: 'Pending',
      };
      bars.set(transfer, b);
    }
    return b;
  };
  return {
    write: (r: CliRecord) => {
      if (r.type === 'start') {
        for (const t of r.transfers) bar(t.transfer, t.pvc);
        return;
      }
      if (r.type === 'phase') {
        const b = bar(r.transfer, r.pvc);
        b.phase = r.phase;
        b.bar.update({ phase: r.phase });
        return;
      }
      if (r.type === 'progress') {
        const b = bar(r.transfer, r.pvc);
        const total = Math.max(r.bytesTotal ?? r.bytesDone, 1);
        b.bar.setTotal(total);
        b.bar.update(Math.min(r.bytesDone, total), {
          done: formatBytes(r.bytesDone),
          size: r.bytesTotal !== undefined ? formatBytes(r.bytesTotal) : '?',
          speed: formatRate(r.rate),
          left: formatDuration(r.etaSeconds),
          phase: `${b.phase} (${r.run})`,
        });
        return;
      }
      if (r.type === 'result') {
        const b = bar(r.transfer, r.pvc);
        if (r.ok && !r.staged)
          b.bar.update(b.bar.getTotal(), { phase: r.phase, left: '0s' });
        else b.bar.update({ phase: r.staged ? 'Staged' : r.phase });
      }
      if (r.type === 'summary') {
        summary = r; // printed under the bars once they are stopped
        return;
      }
      const line = describe(r);
      if (line) multi.log(`${line}\n`);
    },
    close: () => {
      multi.stop();
      const line = summary && describe(summary);
      if (line) stream.write(`${line}\n`);
    },
  };
}
