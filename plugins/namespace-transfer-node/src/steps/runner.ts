import type {
  TransferCheckpoint,
  TransferPhase,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * What the runner reports; the flows' own event types extend it.
 *
 * @public
 */
export type StepEvent =
  | { type: 'phase'; phase: TransferPhase; at: string }
  | { type: 'step'; step: string; at: string };

export interface StepRunnerOptions<S extends string> {
  transferId: string;
  /** a checkpoint from an earlier run: its finished steps are not run again */
  checkpoint?: TransferCheckpoint;
  onEvent?: (e: StepEvent) => void;
  onCheckpoint?: (c: TransferCheckpoint) => void | Promise<void>;
  signal?: AbortSignal;
  /**
   * Whether a cancel is still honoured before `step` starts. Each flow has its own point after which
   * rolling back would lose more than finishing (default: always).
   */
  cancellable?: (step: S, done: (step: string) => boolean) => boolean;
  /**
   * The step after which the transfer is committed: rolling back would lose data (the source claim gone,
   * or a verified copy the source was told about), so a failure leaves everything for a resume to finish.
   * Until it is done, `committed()` is false; when cancellable is not given, a cancel is honoured until then.
   */
  pointOfNoReturn?: S;
  /**
   * Hand-over: the run stops before the next step starts, whatever the point (past the point of no
   * return too), and a step that ends after it is not recorded: the checkpoint stays as the last finished
   * step left it, for the run that takes over (each step finds what an unfinished one made).
   */
  handOver?: AbortSignal;
  /**
   * A stop (a controller shutting down): honoured before each step until the point of no return starts,
   * then ignored so that the run finishes. Stopped, the run throws as at a hand-over and puts nothing back;
   * unlike a hand-over, a step that ends after the stop is recorded (nobody else runs the transfer yet).
   */
  stopBeforePointOfNoReturn?: AbortSignal;
}

export interface StepRunner<S extends string> {
  /** the live checkpoint (a copy of the given one): flows read their steps' recorded results from it */
  readonly checkpoint: TransferCheckpoint;
  done(step: string): boolean;
  /** whether the point of no return is done: from here on the flow never rolls back */
  committed(): boolean;
  /**
   * Whether stopBeforePointOfNoReturn stops the run: aborted, and the point of no return not started (a
   * failure then leaves everything for a resume instead of rolling back)
   */
  stopped(): boolean;
  /** enters a phase and reports it */
  phase(p: TransferPhase): void;
  /**
   * Runs a step unless an earlier run finished it (then its recorded result comes back), and records it
   * in the checkpoint, which is handed to onCheckpoint before the next step starts.
   */
  step<T>(name: S, p: TransferPhase, fn: () => Promise<T>): Promise<T>;
}

/** Throws for a checkpoint of another transfer or of a format this engine does not read. */
export function createStepRunner<S extends string = string>(
  o: StepRunnerOptions<S>,
): StepRunner<S> {
  const checkpoint: TransferCheckpoint = o.checkpoint
    ? structuredClone(o.checkpoint)
    : {
        transferId: o.transferId,
        version: 1,
        phase: 'Pending',
        completedSteps: [],
        state: {},
        updatedAt: new Date().toISOString(),
      };
  if (checkpoint.transferId !== o.transferId)
    throw new Error(`checkpoint belongs to transfer ${checkpoint.transferId}`);
  if (checkpoint.version !== 1)
    throw new Error(
      `checkpoint version ${checkpoint.version} is not supported`,
    );
  const done = (s: string) => checkpoint.completedSteps.includes(s);
  const committed = () =>
    o.pointOfNoReturn !== undefined && done(o.pointOfNoReturn);
  // a checkpoint from before the field was recorded says it from now on too
  if (committed()) checkpoint.pastPointOfNoReturn = true;
  // started, not done: a stop arriving while the point of no return runs must not leave it half-way
  let pointStarted = committed();
  const stopped = () =>
    !pointStarted && (o.stopBeforePointOfNoReturn?.aborted ?? false);
  const cancellable =
    o.cancellable ??
    (o.pointOfNoReturn !== undefined ? () => !committed() : undefined);
  const phase = (p: TransferPhase) => {
    checkpoint.phase = p;
    o.onEvent?.({ type: 'phase', phase: p, at: new Date().toISOString() });
  };
  const step = async <T>(
    name: S,
    p: TransferPhase,
    fn: () => Promise<T>,
  ): Promise<T> => {
    if (done(name)) return checkpoint.state[name] as T;
    o.handOver?.throwIfAborted();
    if (cancellable?.(name, done) ?? true) o.signal?.throwIfAborted();
    if (stopped()) o.stopBeforePointOfNoReturn!.throwIfAborted();
    if (name === o.pointOfNoReturn) pointStarted = true;
    if (checkpoint.phase !== p) phase(p);
    const value = await fn();
    // whoever takes over may already be running: this run reports nothing more
    o.handOver?.throwIfAborted();
    checkpoint.completedSteps.push(name);
    if (name === o.pointOfNoReturn) checkpoint.pastPointOfNoReturn = true;
    // JSON has no undefined: a step without a result is recorded as null
    checkpoint.state[name] = value === undefined ? null : value;
    checkpoint.updatedAt = new Date().toISOString();
    o.onEvent?.({ type: 'step', step: name, at: checkpoint.updatedAt });
    await o.onCheckpoint?.(structuredClone(checkpoint));
    return value;
  };
  return { checkpoint, done, committed, stopped, phase, step };
}
