// What `nstransfer run` does once its arguments are parsed; loaded only then (commands/run.ts: its flags and help).

import { setTimeout as sleep } from 'node:timers/promises';
import type {
  Plan,
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { runBatch } from '../../batch';
import { describeObject, findLabelled } from '../cleanup';
import { distinctClusters, loadClusters, type Clusters } from '../clusters';
import { detach } from '../detach';
import { EXIT, UsageError } from '../exitCodes';
import { destinationOf, executeSpec, pvcOf } from '../execute';
import type { EngineFlags } from '../flags';
import { outputSink, type OutputFormat } from '../output/select';
import {
  fanOut,
  type CliRecord,
  type Sink,
  type TransferSummary,
} from '../records';
import { cancelOnSignals } from '../signals';
import {
  latestCheckpoints,
  readRecords,
  stateDir,
  stateFile,
  stateSink,
  viewRun,
} from '../state';
import { resolveTargets, type Targets } from '../targets';

type RunFlags = EngineFlags & {
  output: OutputFormat;
  stageOnly?: boolean;
  cutover?: boolean;
  detach?: boolean;
  stateDir?: string;
};

/**
 * What an earlier attempt of this id left to continue from: its checkpoints and plans, when that attempt
 * stopped after staging or died without finishing (a crash). A finished failure was rolled back: nothing
 * to continue.
 */
function resumable(
  dir: string,
  runId: string,
): Map<string, { checkpoint: TransferCheckpoint; plan?: Plan }> | undefined {
  let records = readRecords(dir, runId);
  if (!records) return undefined;
  // in a detached process, the last start is its own (written by the parent): judge the attempt before it
  if (process.env.NSTRANSFER_DETACHED_START === runId)
    records = records.slice(0, records.map(r => r.type).lastIndexOf('start'));
  if (!records.length) return undefined;
  const view = viewRun(runId, records);
  const staged =
    view.summary?.ok && view.summary.transfers.every(t => t.staged);
  if (!staged && view.state !== 'lost') return undefined;
  const plans = new Map<string, Plan>();
  for (const r of records) if (r.type === 'plan') plans.set(r.transfer, r.plan);
  const out = new Map<
    string,
    { checkpoint: TransferCheckpoint; plan?: Plan }
  >();
  for (const [id, checkpoint] of latestCheckpoints(records))
    out.set(id, { checkpoint, plan: plans.get(id) });
  return out.size ? out : undefined;
}

function resumeFor(f: RunFlags, dir: string, runId: string) {
  if (!f.id) return undefined;
  if (f.cutover) {
    const r = resumable(dir, runId);
    if (!r)
      throw new UsageError(
        `--cutover: no state for "${runId}" in ${dir} to continue from (stage first with --stage-only --id ${runId})`,
      );
    return r;
  }
  // a repeated --stage-only, or a run whose process died: it continues from the checkpoints
  return resumable(dir, runId);
}

/** After a cancel: what the rollback left in either cluster (it should be nothing once deletions finish). */
async function reportLeftovers(c: Clusters, specs: TransferSpec[], sink: Sink) {
  const find = async () => {
    const left: string[] = [];
    for (const spec of specs)
      for (const cluster of distinctClusters(c))
        left.push(
          ...(await findLabelled(cluster, spec.id, { pvcs: true })).map(
            describeObject,
          ),
        );
    return left;
  };
  // deleted pods terminate for a while: give them a little time before calling anything left behind
  let left = await find();
  for (let i = 0; left.length && i < 30; i++) {
    await sleep(1000);
    left = await find();
  }
  const at = new Date().toISOString();
  if (!left.length)
    sink.write({
      type: 'note',
      at,
      message: 'rolled back: nothing of the transfer is left in either cluster',
    });
  else
    sink.write({
      type: 'note',
      at,
      message: `left behind (remove with nstransfer cleanup): ${left.join(', ')}`,
    });
}

function commandOf(f: RunFlags): string {
  if (f.cutover) return 'cutover';
  return f.stageOnly ? 'stage' : 'run';
}

function startRecord(targets: Targets, pid: number, f: RunFlags): CliRecord {
  return {
    type: 'start',
    runId: targets.runId,
    pid,
    at: new Date().toISOString(),
    command: commandOf(f),
    transfers: targets.specs.map(s => ({
      transfer: s.id,
      pvc: pvcOf(s),
      destination: destinationOf(s),
    })),
  };
}

function exitCode(
  results: TransferSummary[],
  cancelled: boolean,
  batch: boolean,
): number {
  if (cancelled) return EXIT.cancelled;
  const ok = results.filter(r => r.ok).length;
  if (ok === results.length) return EXIT.ok;
  return batch && ok > 0 ? EXIT.partial : EXIT.failure;
}

export const runAction = async (target: string | undefined, f: RunFlags) => {
  if (f.stageOnly && f.cutover)
    throw new UsageError('--stage-only and --cutover exclude each other');
  if (f.cutover && !f.id)
    throw new UsageError('--cutover needs the --id of the staged run');
  const dir = stateDir(f.stateDir);
  const clusters = loadClusters(f);
  const targets = await resolveTargets(f, target, clusters);
  const resume = resumeFor(f, dir, targets.runId);
  if (f.detach) {
    const { pid, log } = detach(targets.runId, dir, f.id !== undefined);
    const state = stateSink(dir, targets.runId);
    state.write(startRecord(targets, pid, f));
    const info = {
      type: 'detached',
      runId: targets.runId,
      pid,
      stateFile: stateFile(dir, targets.runId),
      log,
    };
    process.stdout.write(
      f.output === 'json'
        ? `${JSON.stringify(info)}\n`
        : `started ${targets.runId} in the background (pid ${pid}); follow it with: nstransfer status --follow ${targets.runId}\n`,
    );
    return;
  }
  const sink = fanOut([outputSink(f.output), stateSink(dir, targets.runId)]);
  const note = (message: string) =>
    sink.write({ type: 'note', message, at: new Date().toISOString() });
  const cancel = cancelOnSignals(
    sig =>
      note(
        `${sig}: cancelling, rolling back (press Ctrl-C again to exit at once and leave the objects for nstransfer cleanup ${targets.runId})`,
      ),
    () => {
      note(`exiting without rollback: run nstransfer cleanup ${targets.runId}`);
      void sink.close();
      process.exit(EXIT.cancelled);
    },
  );
  // a detached run's start was written by the process that detached it (so status can follow at once)
  if (process.env.NSTRANSFER_DETACHED_START !== targets.runId)
    sink.write(startRecord(targets, process.pid, f));
  const one = async (spec: TransferSpec) => {
    const r = await executeSpec(spec, {
      clusters,
      flags: f,
      sink,
      signal: cancel.signal,
      until: f.stageOnly ? 'staged' : undefined,
      resume,
    });
    sink.write({ type: 'result', ...r });
    return r;
  };
  const outcomes = await runBatch(
    targets.specs.map(spec => ({ key: spec.id, run: () => one(spec) })),
    {
      concurrency: targets.batch ? f.concurrency : 1,
      signal: cancel.signal,
    },
  );
  const results = outcomes.map((o, i): TransferSummary => {
    if (o.value) return o.value;
    const s = targets.specs[i];
    const r: TransferSummary = {
      transfer: s.id,
      pvc: pvcOf(s),
      destination: destinationOf(s),
      ok: false,
      phase: 'Cancelled',
      error: o.error,
    };
    sink.write({ type: 'result', ...r });
    return r;
  });
  // a transfer that was past its last cancellable step when Ctrl-C came may still have finished
  const cancelled =
    cancel.signal.aborted && results.some(r => r.phase === 'Cancelled');
  if (cancelled)
    await reportLeftovers(
      clusters,
      targets.specs.filter((_, i) => !results[i].ok),
      sink,
    );
  cancel.dispose();
  const code = exitCode(results, cancelled, targets.batch);
  sink.write({
    type: 'summary',
    runId: targets.runId,
    exitCode: code,
    ok: code === EXIT.ok,
    cancelled,
    succeeded: results.filter(r => r.ok).length,
    failed: results.filter(r => !r.ok).length,
    transfers: results,
    at: new Date().toISOString(),
  });
  await sink.close();
  process.exitCode = code;
};
