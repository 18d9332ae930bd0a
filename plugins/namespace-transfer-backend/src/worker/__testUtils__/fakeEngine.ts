import type {
  TransferRunOptions,
  TransferRunResult,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { TransferCheckpoint } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferNotices } from '../../notify/types';
import type { WorkerConfig } from '../config';

/** A promise the test resolves by hand. */
export function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>(r => {
    open = r;
  });
  return { promise, open };
}

/** Resolves when `signal` aborts. */
export const aborted = (signal?: AbortSignal) =>
  new Promise<void>(r => {
    if (signal?.aborted) r();
    else signal?.addEventListener('abort', () => r(), { once: true });
  });

export function checkpointOf(
  o: TransferRunOptions,
  steps: string[],
): TransferCheckpoint {
  return {
    transferId: o.spec.id,
    version: 1,
    phase: 'Syncing',
    completedSteps: steps,
    state: {},
    updatedAt: new Date().toISOString(),
  };
}

export const result = (
  over: Partial<TransferRunResult> & Pick<TransferRunResult, 'outcome'>,
): TransferRunResult => ({
  pastPointOfNoReturn: false,
  durationMs: 5,
  ...over,
});

type Script = (o: TransferRunOptions) => Promise<TransferRunResult>;

/**
 * The engine's entry point replaced at the worker's boundary: each call runs the script the test gave
 * (the default succeeds at once), and the calls are kept with their options.
 */
export class FakeEngine {
  readonly calls: TransferRunOptions[] = [];
  private running = 0;
  maxRunning = 0;
  script: Script = async o => {
    o.onEvent?.({ type: 'plan', plan: o.approvedPlan ?? o.plan! });
    return result({ outcome: 'succeeded', mode: 'copy' });
  };

  readonly run = async (o: TransferRunOptions): Promise<TransferRunResult> => {
    this.calls.push(o);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.script(o);
    } finally {
      this.running--;
    }
  };

  callFor(engineId: string): TransferRunOptions | undefined {
    return this.calls.find(c => c.spec.id === engineId);
  }
}

export function recordingNotices() {
  const states: Array<{
    id: string;
    to: string;
    action: string;
    comment?: string;
  }> = [];
  const progress: Array<{ id: string; what: string }> = [];
  const notices: TransferNotices = {
    async stateChanged(t, change) {
      states.push({
        id: t.id,
        to: t.state,
        action: change.action,
        ...(change.comment ? { comment: change.comment } : {}),
      });
    },
    async progressed(t, what) {
      progress.push({ id: t.id, what });
    },
  };
  return { notices, states, progress };
}

export function testWorkerConfig(
  over: Partial<WorkerConfig> = {},
): WorkerConfig {
  return {
    enabled: true,
    concurrency: { global: 4, perCluster: 2 },
    leaseMs: 800,
    pollMs: 100,
    progressSampleMs: 0,
    outageBudgetMs: 60_000,
    maintenanceWindows: [],
    engine: { image: 'registry.example.com/mover:1' },
    ...over,
  };
}

/** Polls `check` until it holds (an observable state, never a fixed sleep). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}
