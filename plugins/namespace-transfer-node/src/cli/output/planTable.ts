import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatBytes, formatDuration } from './format';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  return rows
    .map(r =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Plans as a table (one row per PVC) followed by what a row cannot hold: reasons, refusals, warnings. */
export function planTable(plans: Plan[]): string {
  const rows = [
    [
      'SOURCE',
      'DESTINATION',
      'MODE',
      'INTENT',
      'MOVER',
      'TRANSPORT',
      'ENDPOINT',
      'SIZE',
      'CLASS',
      'EST',
      'DOWNTIME',
      'ALLOWED',
    ],
  ];
  for (const p of plans) {
    rows.push([
      `${p.source.cluster}/${p.source.namespace}/${p.source.name}`,
      `${p.destination.cluster}/${p.destination.namespace}/${p.destination.name}`,
      p.mode,
      p.intent,
      p.mode === 'copy' ? p.mover : '-',
      p.mode === 'copy' ? p.transport : '-',
      p.endpoint ?? '-',
      p.destination.sizeBytes !== undefined
        ? formatBytes(p.destination.sizeBytes)
        : '-',
      p.destination.storageClassName ?? '-',
      formatDuration(p.estimatedSeconds),
      formatDuration(p.estimatedDowntimeSeconds),
      p.allowed ? 'yes' : 'REFUSED',
    ]);
  }
  const details: string[] = [];
  for (const p of plans) {
    const name = `${p.source.namespace}/${p.source.name}`;
    details.push(`${name}: ${p.mode}: ${p.modeReason}`);
    if (p.otherMode)
      details.push(`${name}: not ${p.otherMode.mode}: ${p.otherMode.whyNot}`);
    if (p.endpointReason)
      details.push(`${name}: endpoint ${p.endpoint}: ${p.endpointReason}`);
    if (p.identity)
      details.push(
        `${name}: files land as ${p.identity.runAsUser}:${p.identity.runAsGroup} (${p.identity.source})`,
      );
    if (p.workloads.length)
      details.push(
        `${name}: stops ${p.workloads.map(w => `${w.kind} ${w.name}`).join(', ')}`,
      );
    for (const r of p.refusals)
      details.push(`${name}: refused: ${r.code}: ${r.message}`);
    for (const w of p.warnings) details.push(`${name}: warning: ${w}`);
  }
  return `${table(rows)}\n\n${details.join('\n')}\n`;
}
