// What `nstransfer status` does once its arguments are parsed; loaded only then (commands/status.ts: its flags and help).

import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT, UsageError } from '../exitCodes';
import { progressText, resultText } from '../output/human';
import { outputSink, type OutputFormat } from '../output/select';
import {
  listRuns,
  readRecords,
  stateDir,
  viewRun,
  type RunView,
} from '../state';

/** A finished transfer is told by its result, a running one by its last progress sample. */
function transferDetail(t: RunView['transfers'][number]): string | undefined {
  if (t.result) return resultText(t.result);
  return t.progress ? progressText(t.progress) : undefined;
}

function viewText(v: RunView): string {
  const lines = [
    `${v.runId}: ${v.state}${v.summary ? ` (exit code ${v.summary.exitCode})` : ''}${v.pid ? `, pid ${v.pid}` : ''}${v.startedAt ? `, started ${v.startedAt}` : ''}`,
  ];
  for (const t of v.transfers) {
    const detail = transferDetail(t);
    lines.push(
      `  ${t.pvc} -> ${t.destination}: ${t.phase ?? 'Pending'}${detail ? `, ${detail}` : ''}`,
    );
  }
  for (const n of v.notes) lines.push(`  ${n}`);
  if (v.state === 'lost')
    lines.push(
      '  the process ended without a summary: nstransfer cleanup removes what it left',
    );
  return `${lines.join('\n')}\n`;
}

async function follow(
  dir: string,
  runId: string,
  format: OutputFormat,
): Promise<number> {
  const sink = outputSink(format);
  let seen = 0;
  let startAt = -1;
  try {
    for (;;) {
      const records = readRecords(dir, runId) ?? [];
      if (startAt < 0) {
        // replay from the latest attempt (a cutover appends to the staging run's file)
        startAt = Math.max(0, records.map(r => r.type).lastIndexOf('start'));
        seen = startAt;
      }
      for (const r of records.slice(seen)) sink.write(r);
      seen = records.length;
      const v = viewRun(runId, records);
      if (v.state === 'finished') return v.summary!.exitCode;
      if (v.state === 'lost') {
        sink.write({
          type: 'note',
          at: new Date().toISOString(),
          message: `${runId}: the process ended without a summary`,
        });
        return EXIT.failure;
      }
      await sleep(500);
    }
  } finally {
    await sink.close();
  }
}

export const statusAction = async (
  id: string | undefined,
  f: { follow?: boolean; output: OutputFormat; stateDir?: string },
) => {
  const dir = stateDir(f.stateDir);
  if (!id) {
    if (f.follow) throw new UsageError('--follow needs a run id');
    const views = listRuns(dir).map(r =>
      viewRun(r.runId, readRecords(dir, r.runId) ?? []),
    );
    if (f.output === 'json') process.stdout.write(`${JSON.stringify(views)}\n`);
    else
      process.stdout.write(
        views.length ? views.map(viewText).join('') : `no runs in ${dir}\n`,
      );
    return;
  }
  const records = readRecords(dir, id);
  if (!records) throw new UsageError(`no run "${id}" in ${dir}`);
  if (f.follow) {
    process.exitCode = await follow(dir, id, f.output);
    return;
  }
  const v = viewRun(id, records);
  process.stdout.write(
    f.output === 'json' ? `${JSON.stringify(v)}\n` : viewText(v),
  );
};
