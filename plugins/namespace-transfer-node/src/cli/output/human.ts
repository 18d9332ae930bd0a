import type { CliRecord, TransferSummary } from '../records';
import { formatBytes, formatDuration, formatRate } from './format';

function resultLine(t: TransferSummary): string {
  if (t.staged)
    return `[${t.pvc}] staged into ${t.destination} (run again with --cutover --id ${t.transfer})`;
  if (!t.ok)
    return `[${t.pvc}] ${t.phase.toLowerCase()}: ${t.error ?? 'no reason given'}`;
  const parts = [`${t.mode ?? 'copy'} to ${t.destination} succeeded`];
  if (t.bytes !== undefined)
    parts.push(
      `${formatBytes(t.bytes)}${t.files !== undefined ? ` in ${t.files} files` : ''}`,
    );
  if (t.verified) parts.push(`verified (${t.verified.mode})`);
  if (t.downtimeMs)
    parts.push(`downtime ${formatDuration(t.downtimeMs / 1000)}`);
  return `[${t.pvc}] ${parts.join(', ')}`;
}

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

export function progressLine(
  r: Extract<CliRecord, { type: 'progress' }>,
): string {
  const total =
    r.bytesTotal !== undefined ? `/${formatBytes(r.bytesTotal)}` : '';
  const pct = r.percent !== undefined ? ` ${Math.round(r.percent)}%` : '';
  return `[${r.pvc}] ${r.run}: ${formatBytes(r.bytesDone)}${total}${pct} at ${formatRate(r.rate)}, ETA ${formatDuration(r.etaSeconds)}`;
}
