import {
  isTransferState,
  TransferLogEvent,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatBytes, formatRate } from '../../lib/format';
import { TRANSFER_STATE_LABELS } from '../shared';

/*
 * An event's payload in words. Payloads are what the backend writes: a state event's `{ from, to, action,
 * actor?, attempt }`, a phase event's `{ phase }`, a progress event's progress figures, a decision's
 * `{ kind, actor, comment }`, a warning's or an error's `{ message }`.
 */

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const figure = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const stateName = (value: unknown): string | undefined =>
  isTransferState(value) ? TRANSFER_STATE_LABELS[value] : text(value);

function stateText(p: Record<string, unknown>): string {
  const from = stateName(p.from);
  const to = stateName(p.to) ?? 'unknown';
  const change = from ? `${from} → ${to}` : to;
  const by = [text(p.action), text(p.actor) && `by ${p.actor}`]
    .filter(Boolean)
    .join(' ');
  const attempt = figure(p.attempt);
  return [
    change,
    by && `(${by})`,
    attempt && attempt > 1 ? `attempt ${attempt}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

function progressText(p: Record<string, unknown>): string {
  const done = figure(p.bytesDone);
  const total = figure(p.bytesTotal);
  const rate = figure(p.rateBytesPerSecond);
  const amount =
    total === undefined
      ? `${formatBytes(done)} copied`
      : `${formatBytes(done)} of ${formatBytes(total)}`;
  return rate === undefined ? amount : `${amount} at ${formatRate(rate)}`;
}

function decisionText(p: Record<string, unknown>): string {
  const who = text(p.actor) ?? 'someone';
  const comment = text(p.comment);
  const decided = `${who}: ${text(p.kind) ?? 'decision'}`;
  return comment ? `${decided} — “${comment}”` : decided;
}

/** What the event says, in one line. */
export function eventText(event: TransferLogEvent): string {
  const p = event.payload;
  switch (event.kind) {
    case 'state':
      return stateText(p);
    case 'phase':
      return `Phase ${text(p.phase) ?? 'unknown'}`;
    case 'progress':
      return progressText(p);
    case 'decision':
      return decisionText(p);
    default:
      return text(p.message) ?? JSON.stringify(p);
  }
}

/** The event's kind as a column heading reads it. */
export const EVENT_KIND_LABELS: Record<TransferLogEvent['kind'], string> = {
  state: 'State',
  phase: 'Phase',
  progress: 'Progress',
  decision: 'Decision',
  warning: 'Warning',
  error: 'Error',
};
