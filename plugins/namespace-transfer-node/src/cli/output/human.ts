import type { CliRecord, TransferSummary } from '../records';
import { formatBytes, formatDuration, formatRate } from './format';

/** A finished transfer in one line: what, how much, how long, how checked (also `status` of a past run). */
export function resultText(t: TransferSummary): string {
  if (t.staged)
    return `staged into ${t.destination} (run again with --cutover --id ${t.transfer})`;
  if (!t.ok) return `${t.phase.toLowerCase()}: ${t.error ?? 'no reason given'}`;
  const parts = [`${t.mode ?? 'copy'} to ${t.destination} succeeded`];
  if (t.bytes !== undefined)
    parts.push(
      `${formatBytes(t.bytes)}${t.files !== undefined ? ` in ${t.files} files` : ''}`,
    );
  if (t.durationMs !== undefined)
    parts.push(`took ${formatDuration(t.durationMs / 1000)}`);
  if (t.downtimeMs)
    parts.push(`downtime ${formatDuration(t.downtimeMs / 1000)}`);
  if (t.verified)
    parts.push(
      `verified (${t.verified.mode}${t.verified.files !== undefined ? `: ${t.verified.files} files` : ''})`,
    );
  else if (t.mode !== 'rebind') parts.push('not verified');
  return parts.join(', ');
}

const resultLine = (t: TransferSummary) => `[${t.pvc}] ${resultText(t)}`;

/** The line a human output prints for a record; progress is drawn separately (bars or throttled lines). */
export function describe(r: CliRecord): string | undefined {
  switch (r.type) {
    case 'start':
      return `${r.command} ${r.runId}: ${r.transfers.map(t => `${t.pvc} -> ${t.destination}`).join(', ')}`;
    case 'plan':
      return `[${r.pvc}] plan: ${r.plan.mode} (${r.plan.modeReason})${r.plan.endpoint ? `, endpoint ${r.plan.endpoint}` : ''}`;
    case 'phase':
      return `[${r.pvc}] ${r.phase}`;
    case 'warning':
      return `[${r.pvc}] warning: ${r.message}`;
    case 'result':
      return resultLine(r);
    case 'note':
      return r.message;
    case 'summary': {
      let what = r.ok ? 'done' : 'failed';
      if (r.cancelled) what = 'cancelled';
      return `${r.runId}: ${what}: ${r.succeeded} succeeded, ${r.failed} failed (exit code ${r.exitCode})`;
    }
    default:
      return undefined;
  }
}

/** One sample in words: done of total, files, and the rate and time left only while they mean something. */
export function progressText(
  r: Omit<
    Extract<CliRecord, { type: 'progress' }>,
    'type' | 'transfer' | 'pvc'
  >,
): string {
  const total =
    r.bytesTotal !== undefined ? ` of ${formatBytes(r.bytesTotal)}` : '';
  const pct = r.percent !== undefined ? ` (${Math.round(r.percent)}%)` : '';
  const files =
    r.filesDone !== undefined
      ? `, ${r.filesDone}${r.filesTotal !== undefined ? `/${r.filesTotal}` : ''} files`
      : '';
  const finished =
    r.percent !== undefined ? r.percent >= 100 : r.bytesDone === r.bytesTotal;
  const rate = !finished && r.rate ? `, ${formatRate(r.rate)}` : '';
  const eta =
    !finished && r.rate && r.etaSeconds !== undefined
      ? `, ${formatDuration(r.etaSeconds)} left`
      : '';
  return `${r.run}: ${formatBytes(r.bytesDone)}${total}${pct}${files}${rate}${eta}`;
}

export function progressLine(
  r: Extract<CliRecord, { type: 'progress' }>,
): string {
  return `[${r.pvc}] ${progressText(r)}`;
}
