import type {
  Plan,
  ProgressSample,
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * Everything a run reports, as plain JSON objects: `--output json` prints them one per line, the state
 * file of a run stores the same lines (so `status` reads what a foreground run would have printed), and
 * the human outputs draw them.
 */
interface About {
  /** transfer id */
  transfer: string;
  /** `namespace/name` of the source PVC */
  pvc: string;
}

export interface TransferSummary extends About {
  destination: string;
  ok: boolean;
  phase: TransferPhase;
  mode?: Plan['mode'];
  error?: string;
  downtimeMs?: number;
  /** how long this process worked on it (a resumed run counts its own part) */
  durationMs?: number;
  bytes?: number;
  files?: number;
  verified?: { files?: number; bytes?: number; mode: string };
  /** until: 'staged' stopped after staging: run again with --cutover */
  staged?: boolean;
}

export type CliRecord =
  | {
      type: 'start';
      runId: string;
      pid: number;
      at: string;
      command: string;
      transfers: Array<About & { destination: string }>;
    }
  | (About & { type: 'plan'; plan: Plan })
  | (About & { type: 'phase'; phase: TransferPhase; at: string })
  | (About & { type: 'step'; step: string; at: string })
  | (About & { type: 'progress'; run: string } & ProgressSample)
  | (About & { type: 'warning'; message: string })
  | (About & { type: 'checkpoint'; checkpoint: TransferCheckpoint })
  | (TransferSummary & { type: 'result' })
  | { type: 'note'; message: string; at: string }
  | {
      type: 'summary';
      runId: string;
      exitCode: number;
      ok: boolean;
      cancelled: boolean;
      succeeded: number;
      failed: number;
      transfers: TransferSummary[];
      at: string;
    };

export interface Sink {
  write(r: CliRecord): void;
  /** flushes and releases the terminal */
  close(): void | Promise<void>;
}

export function fanOut(sinks: Sink[]): Sink {
  return {
    write: r => {
      for (const s of sinks) s.write(r);
    },
    close: async () => {
      for (const s of sinks) await s.close();
    },
  };
}
