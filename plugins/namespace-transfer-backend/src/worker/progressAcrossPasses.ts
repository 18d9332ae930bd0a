import type { ProgressSample } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { CarriedProgress, ProgressSummary } from '../store';

/**
 * One counter (bytes or files) of the passes before the current one: what they moved, and their share of
 * the total. Both stay undefined while no earlier pass reported the counter.
 */
interface Carried {
  done?: number;
  total?: number;
}

/** The last sample of the pass running now, and the last file count it reported. */
interface Pass {
  run: string;
  sample: ProgressSample;
  filesDone?: number;
}

const plus = (a: number | undefined, b: number | undefined) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/** Moves a pass's figure into what is carried (into the total too unless a retry's total still holds it). */
function carry(c: Carried, moved: number | undefined, intoTotal: boolean) {
  if (moved === undefined) return;
  c.done = plus(c.done, moved);
  c.total = plus(c.total, intoTotal ? moved : 0);
}

/**
 * The counter of the attempt: earlier passes' plus the current pass's. Its total is earlier passes' share
 * plus the pass's own total, never below what is done; a pass without a total has what is done as its
 * total once earlier passes count, and none before.
 */
function counted(c: Carried, own: { done?: number; total?: number }) {
  const done = plus(c.done, own.done);
  if (own.total !== undefined) {
    const total = (c.total ?? 0) + own.total;
    return { done, total: done === undefined ? total : Math.max(total, done) };
  }
  return { done, total: c.done === undefined ? undefined : done };
}

/**
 * The progress summary of one attempt from the samples of its passes. Every mover pass (the stage sync, a
 * re-sync, the final sync after the quiesce, a replaced client pod) counts from zero, so the summary adds
 * what the earlier passes moved to the current pass's figures: a sync that finds nothing changed after a
 * staging pass must not report the attempt as having moved nothing. Rate and ETA are the current pass's.
 *
 * A run starts from what the attempt's finished passes moved (stored beside the summary, written with every
 * progress write and set to the summary when a run ends), not from the summary: a run that takes over an
 * abandoned one re-attaches to the mover pod still running and reads its log from the start, so the pass
 * in flight must not be counted before it too. A retry's new attempt clears both (store/transitions.ts,
 * newAttemptColumns); a cut-over and a resume after an end continue from what the ended run moved.
 */
export class ProgressAcrossPasses {
  private readonly bytes: Carried;
  private readonly files: Carried;
  private pass?: Pass;

  constructor(carried: CarriedProgress) {
    // what finished passes moved is in the total too: the passes after them count only what is left
    this.bytes = { done: carried.bytes, total: carried.bytes };
    this.files = { done: carried.files, total: carried.files };
  }

  /** What the finished passes moved, the pass in flight not included: what the next run starts from. */
  get carried(): CarriedProgress {
    return { bytes: this.bytes.done, files: this.files.done };
  }

  /**
   * Ends the pass in flight (the engine checkpoints between steps, never inside a sync): a run that takes
   * over from the checkpoint does not run that pass again. What is carried now.
   */
  finishPass(): CarriedProgress {
    if (this.pass) {
      carry(this.bytes, this.pass.sample.bytesDone, true);
      carry(this.files, this.pass.filesDone, true);
      this.pass = undefined;
    }
    return this.carried;
  }

  /** Adds a sample of client run `run` (stage-1, final, ...); the attempt's summary as of it. */
  add(run: string, sample: ProgressSample): ProgressSummary {
    const before = this.pass;
    if (before && this.startsAnew(before, run, sample)) {
      // the mover retrying inside its pod: the retry's totals still cover what the failed try moved
      const retry =
        before.run === run && sample.attempt > before.sample.attempt;
      carry(this.bytes, before.sample.bytesDone, !retry);
      carry(this.files, before.filesDone, !retry);
      this.pass = undefined;
    }
    // progress lines between files may not say how many files are done: the pass's last count stands
    const filesDone = sample.filesDone ?? this.pass?.filesDone;
    this.pass = { run, sample, filesDone };
    const bytes = counted(this.bytes, {
      done: sample.bytesDone,
      total: sample.bytesTotal,
    });
    const files = counted(this.files, {
      done: filesDone,
      total: sample.filesTotal,
    });
    return {
      bytesDone: bytes.done,
      bytesTotal: bytes.total,
      filesDone: files.done,
      filesTotal: files.total,
      rateBytesPerSecond: sample.rate,
      etaSeconds: sample.etaSeconds,
    };
  }

  /** Another client run, the mover's next try, or counters that went back: a pass that counts from zero. */
  private startsAnew(pass: Pass, run: string, s: ProgressSample): boolean {
    return (
      pass.run !== run ||
      s.attempt > pass.sample.attempt ||
      s.bytesDone < pass.sample.bytesDone
    );
  }
}
