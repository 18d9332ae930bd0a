import type { ProgressSample } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { CarriedProgress, ProgressSummary } from '../store';
import { ProgressAcrossPasses } from './progressAcrossPasses';

const sample = (over: Partial<ProgressSample>): ProgressSample => ({
  at: '2026-12-05T10:00:00Z',
  attempt: 1,
  bytesDone: 0,
  ...over,
});

/** Feeds `samples` (run, sample) in order; every summary the attempt had. */
function summed(
  carried: CarriedProgress,
  samples: Array<[string, Partial<ProgressSample>]>,
): ProgressSummary[] {
  const passes = new ProgressAcrossPasses(carried);
  return samples.map(([run, s]) => passes.add(run, sample(s)));
}

const MiB = 2 ** 20;

const percent = (p: ProgressSummary) => (100 * p.bytesDone!) / p.bytesTotal!;

describe('ProgressAcrossPasses', () => {
  it('adds what the stage pass moved to the final pass of the same run, with the current pass’s rate and ETA', () => {
    const all = summed({}, [
      ['stage-1', { bytesDone: 400, bytesTotal: 1000, filesDone: 2, rate: 50 }],
      ['stage-1', { bytesDone: 1000, bytesTotal: 1000, filesDone: 6 }],
      // the final sync counts from zero and finds a little changed
      [
        'final',
        { bytesDone: 0, bytesTotal: 30, filesDone: 0, rate: 9, etaSeconds: 4 },
      ],
      ['final', { bytesDone: 30, bytesTotal: 30, filesDone: 1, etaSeconds: 0 }],
    ]);
    expect(all[1]).toEqual({
      bytesDone: 1000,
      bytesTotal: 1000,
      filesDone: 6,
      rateBytesPerSecond: undefined,
      etaSeconds: undefined,
    });
    expect(all[2]).toEqual({
      bytesDone: 1000,
      bytesTotal: 1030,
      filesDone: 6,
      filesTotal: 6,
      rateBytesPerSecond: 9,
      etaSeconds: 4,
    });
    expect(all[3]).toMatchObject({
      bytesDone: 1030,
      bytesTotal: 1030,
      filesDone: 7,
      etaSeconds: 0,
    });
    for (const p of all) {
      expect(percent(p)).toBeGreaterThanOrEqual(0);
      expect(percent(p)).toBeLessThanOrEqual(100);
    }
    expect(percent(all[3])).toBe(100);
  });

  it('recognises a new pass of the same name by its counters going back (a replaced client pod)', () => {
    const all = summed({}, [
      ['stage-1', { bytesDone: 600, bytesTotal: 1000 }],
      // the new pod's dry run counts only what is left
      ['stage-1', { bytesDone: 100, bytesTotal: 400 }],
      ['stage-1', { bytesDone: 400, bytesTotal: 400 }],
    ]);
    expect(all.map(p => [p.bytesDone, p.bytesTotal])).toEqual([
      [600, 1000],
      [700, 1000],
      [1000, 1000],
    ]);
  });

  it('continues a staged attempt from what its stage moved: a cut-over whose final pass finds nothing changed still moved the stage’s bytes', () => {
    // the staged end set what is carried to the stage's summary
    const [staged] = summed({}, [
      ['stage-1', { bytesDone: 384 * MiB, bytesTotal: 384 * MiB }],
    ]);
    const [cutover] = summed({ bytes: staged.bytesDone, files: 12 }, [
      ['final', { bytesDone: 0, bytesTotal: 0, filesDone: 0, etaSeconds: 0 }],
    ]);
    expect(cutover).toEqual({
      bytesDone: 384 * MiB,
      bytesTotal: 384 * MiB,
      filesDone: 12,
      filesTotal: 12,
      rateBytesPerSecond: undefined,
      etaSeconds: 0,
    });
  });

  it('counts the pass in flight once when a take-over re-reads its mover’s log from the start', () => {
    const abandoned = new ProgressAcrossPasses({});
    abandoned.add('stage-1', sample({ bytesDone: 0, bytesTotal: 384 * MiB }));
    const last = abandoned.add(
      'stage-1',
      sample({ bytesDone: 200 * MiB, bytesTotal: 384 * MiB }),
    );
    expect(last.bytesDone).toBe(200 * MiB);
    // what the abandoned run last wrote beside its summary: none of its passes had finished
    expect(abandoned.carried).toEqual({ bytes: undefined, files: undefined });
    const all = summed(abandoned.carried, [
      ['stage-1', { bytesDone: 0, bytesTotal: 384 * MiB }],
      ['stage-1', { bytesDone: 200 * MiB, bytesTotal: 384 * MiB }],
      ['stage-1', { bytesDone: 384 * MiB, bytesTotal: 384 * MiB }],
    ]);
    expect(all.map(p => [p.bytesDone, p.bytesTotal])).toEqual([
      [0, 384 * MiB],
      [200 * MiB, 384 * MiB],
      [384 * MiB, 384 * MiB],
    ]);
  });

  it('carries a pass once the next one starts, never the pass in flight', () => {
    const passes = new ProgressAcrossPasses({ bytes: 50, files: 1 });
    passes.add('stage-1', sample({ bytesDone: 600, filesDone: 3 }));
    expect(passes.carried).toEqual({ bytes: 50, files: 1 });
    // a replaced client pod counts from zero: the first pod's pass is finished
    passes.add('stage-1', sample({ bytesDone: 10, filesDone: 0 }));
    expect(passes.carried).toEqual({ bytes: 650, files: 4 });
    passes.add('final', sample({ bytesDone: 5 }));
    expect(passes.carried).toEqual({ bytes: 660, files: 4 });
  });

  it('ends the pass in flight at a checkpoint: the next pass counts on top of it, whatever its name', () => {
    const passes = new ProgressAcrossPasses({ bytes: 100 });
    passes.add('stage-1', sample({ bytesDone: 300, bytesTotal: 300 }));
    expect(passes.finishPass()).toEqual({ bytes: 400, files: undefined });
    // nothing in flight: a second checkpoint carries nothing more
    expect(passes.finishPass()).toEqual({ bytes: 400, files: undefined });
    const next = passes.add('stage-1', sample({ bytesDone: 350 }));
    expect(next.bytesDone).toBe(750);
  });

  it('continues from what finished passes moved: a pass after them counts only the rest in its total', () => {
    const all = summed({ bytes: 300, files: 2 }, [
      ['stage-1', { bytesDone: 200, bytesTotal: 700, filesDone: 1 }],
      ['stage-1', { bytesDone: 700, bytesTotal: 700, filesDone: 4 }],
    ]);
    expect(all.map(p => [p.bytesDone, p.bytesTotal, p.filesDone])).toEqual([
      [500, 1000, 3],
      [1000, 1000, 6],
    ]);
  });

  it('gives a pass without totals a total of at least what is done once earlier passes count, and none before', () => {
    const all = summed({}, [
      // rsync before its first percentage: nothing is known of the size
      ['stage-1', { bytesDone: 10 }],
      ['stage-1', { bytesDone: 500, bytesTotal: 500, filesDone: 3 }],
      ['final', { bytesDone: 0 }],
      ['final', { bytesDone: 20 }],
    ]);
    expect(all[0]).toMatchObject({ bytesDone: 10, bytesTotal: undefined });
    expect(all[0].filesTotal).toBeUndefined();
    expect(all.slice(2).map(p => [p.bytesDone, p.bytesTotal])).toEqual([
      [500, 500],
      [520, 520],
    ]);
    // the final pass said nothing of files: the stage's stand, and no total below them
    expect(all[3]).toMatchObject({ filesDone: 3, filesTotal: 3 });
  });

  it('counts what a failed try of the mover moved without counting it twice in the total of its retry', () => {
    const all = summed({}, [
      ['stage-1', { bytesDone: 300, bytesTotal: 1000 }],
      // the retry's totals come from the same estimate: they still hold what the failed try moved
      ['stage-1', { attempt: 2, bytesDone: 0, bytesTotal: 1000 }],
      ['stage-1', { attempt: 2, bytesDone: 700, bytesTotal: 1000 }],
    ]);
    expect(all.map(p => [p.bytesDone, p.bytesTotal])).toEqual([
      [300, 1000],
      [300, 1000],
      [1000, 1000],
    ]);
  });

  it('starts a retried attempt from zero: the retry leaves it nothing carried', () => {
    // what a retry leaves (store/transitions.ts clears the progress and carried columns with the new attempt)
    const [first] = summed({}, [
      ['stage-1', { bytesDone: 50, bytesTotal: 900, filesDone: 1, rate: 5 }],
    ]);
    expect(first).toEqual({
      bytesDone: 50,
      bytesTotal: 900,
      filesDone: 1,
      filesTotal: undefined,
      rateBytesPerSecond: 5,
      etaSeconds: undefined,
    });
  });
});
