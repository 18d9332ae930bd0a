import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { CliRecord, Sink, TransferSummary } from './records';

/**
 * A run's state file: `<state dir>/<run id>.jsonl`, the run's records appended one per line. A detached
 * run writes it from the background; `status` reads and follows it; `--cutover` finds the staged
 * checkpoints in it. Key material never gets here (checkpoints hold none).
 */
export function stateDir(flag?: string): string {
  return (
    flag ?? process.env.NSTRANSFER_STATE_DIR ?? join(homedir(), '.nstransfer')
  );
}

export function stateFile(dir: string, runId: string): string {
  return join(dir, `${runId}.jsonl`);
}

export function stateSink(dir: string, runId: string): Sink {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = stateFile(dir, runId);
  return {
    // synchronous: the last checkpoint must be on disk even if the process is killed right after
    write: (r: CliRecord) =>
      appendFileSync(file, `${JSON.stringify(r)}\n`, { mode: 0o600 }),
    close: () => undefined,
  };
}

export function readRecords(
  dir: string,
  runId: string,
): CliRecord[] | undefined {
  const file = stateFile(dir, runId);
  if (!existsSync(file)) return undefined;
  const out: CliRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as CliRecord);
    } catch {
      // a line being written right now: the next read gets it whole
    }
  }
  return out;
}

export function listRuns(
  dir: string,
): Array<{ runId: string; modified: Date }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(f => f.endsWith('.jsonl'))
    .map(f => ({
      runId: f.slice(0, -'.jsonl'.length),
      modified: statSync(join(dir, f)).mtime,
    }))
    .sort((a, b) => a.modified.getTime() - b.modified.getTime());
}

export function latestCheckpoints(
  records: CliRecord[],
): Map<string, TransferCheckpoint> {
  const out = new Map<string, TransferCheckpoint>();
  for (const r of records)
    if (r.type === 'checkpoint') out.set(r.transfer, r.checkpoint);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface TransferView {
  transfer: string;
  pvc: string;
  destination: string;
  phase?: string;
  progress?: Extract<CliRecord, { type: 'progress' }>;
  result?: TransferSummary;
}

export interface RunView {
  runId: string;
  pid?: number;
  command?: string;
  startedAt?: string;
  /** running: the process is alive and wrote no summary; lost: it died without one */
  state: 'running' | 'finished' | 'lost';
  summary?: Extract<CliRecord, { type: 'summary' }>;
  transfers: TransferView[];
  notes: string[];
}

/** The latest attempt of a run (a cutover appends a new start to the staging run's file). */
export function viewRun(runId: string, records: CliRecord[]): RunView {
  let from = 0;
  records.forEach((r, i) => {
    if (r.type === 'start') from = i;
  });
  const latest = records.slice(from);
  const start = latest[0]?.type === 'start' ? latest[0] : undefined;
  const transfers = new Map<string, TransferView>(
    (start?.transfers ?? []).map(t => [
      t.transfer,
      { transfer: t.transfer, pvc: t.pvc, destination: t.destination },
    ]),
  );
  const view: RunView = {
    runId,
    pid: start?.pid,
    command: start?.command,
    startedAt: start?.at,
    state: 'running',
    transfers: [],
    notes: [],
  };
  for (const r of latest) {
    if (r.type === 'summary') view.summary = r;
    if (r.type === 'note') view.notes.push(r.message);
    if (!('transfer' in r)) continue;
    const t = transfers.get(r.transfer) ?? {
      transfer: r.transfer,
      pvc: r.pvc,
      destination: '',
    };
    transfers.set(r.transfer, t);
    if (r.type === 'phase') t.phase = r.phase;
    if (r.type === 'progress') t.progress = r;
    if (r.type === 'result') t.result = r;
  }
  view.transfers = [...transfers.values()];
  if (view.summary) view.state = 'finished';
  else if (!view.pid || !alive(view.pid)) view.state = 'lost';
  return view;
}
