import type { LoggerService } from '@backstage/backend-plugin-api';
import { quoteText } from './describe';

const QUIET_MS = 60_000;

/**
 * Logs a failed send once, as a warning with the error's message only (never the error object: a client's
 * error can carry its request and headers). When the same kind of send keeps failing (the notifications
 * backend not installed, the events bus down), progress signals would log every few seconds per transfer:
 * repeats within a minute are counted and reported with the next line instead.
 */
export class FailureLog {
  private readonly quiet = new Map<string, { until: number; missed: number }>();

  constructor(
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  failed(key: string, what: string, error: unknown): void {
    const now = this.now();
    const entry = this.quiet.get(key);
    if (entry && now < entry.until) {
      entry.missed += 1;
      return;
    }
    const missed = entry?.missed
      ? ` (${entry.missed} more such failures in the last minute were not logged)`
      : '';
    this.quiet.set(key, { until: now + QUIET_MS, missed: 0 });
    this.logger.warn(
      `Namespace Transfer could not ${what}: ${quoteText(messageOf(error))}${missed}`,
    );
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
