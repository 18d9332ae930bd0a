/**
 * One progress sample, parsed by the mover from its own output while it runs. Totals are optional because
 * a mover may not know them yet (rsync knows them once its file list is complete).
 *
 * @public
 */
export interface ProgressSample {
  /** ISO 8601 time the sample was taken. */
  at: string;
  /** Which mover attempt produced it (1-based; the client retries with backoff). */
  attempt: number;
  bytesDone: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  /** Bytes per second as the mover reports it. */
  rate?: number;
  /** Seconds left as the mover estimates it. */
  etaSeconds?: number;
  /** 0..100 when the totals are known. */
  percent?: number;
}

/**
 * What a mover run ended with, parsed from its final output and exit code.
 *
 * @public
 */
export interface TransferResultSummary {
  exitCode: number;
  ok: boolean;
  attempts: number;
  filesTotal?: number;
  filesTransferred?: number;
  bytesTotal?: number;
  bytesTransferred?: number;
  errors: string[];
  warnings: string[];
  /** for a verification run: the paths that differ between source and destination */
  differences?: string[];
}
