/**
 * Leader election on a coordination.k8s.io/v1 Lease, by client-go's rules (tools/leaderelection), so that
 * replicas of the KEP controller written in any language share one Lease safely:
 * - a replica judges expiry by its own clock: from when *it* saw the record change, never from the
 *   renewTime written by another machine whose clock may differ;
 * - every write carries the resourceVersion read, so of two replicas racing for a free lease one wins
 *   and the other gets 409;
 * - a leader that cannot renew within renewDeadline (shorter than the lease) stops leading before any
 *   other replica may consider the lease expired.
 */
import {
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { httpStatus, readableError } from '../clusters';

/** @public */
export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  /** default `<hostname>_<random UUID>` */
  identity?: string;
  /** how long others wait after the last renewal they saw before taking over (default 15000) */
  leaseDurationMs?: number;
  /** a leader that could not renew for this long stops leading (default 10000) */
  renewDeadlineMs?: number;
  /** between attempts to acquire or renew (default 2000) */
  retryPeriodMs?: number;
  /** called each time this replica starts leading; `lost` aborts when it stops */
  onStartedLeading: (lost: AbortSignal) => void;
  onStoppedLeading?: () => void;
  log?: (message: string) => void;
}

/** @public */
export interface LeaderElection {
  isLeader(): boolean;
  /** resolves when this replica first leads */
  leading: Promise<void>;
  /** stops renewing, releases the lease if held (holderIdentity cleared, so another replica takes over at once) */
  stop(): Promise<void>;
}

/** The part of a Lease's spec the election reads and writes (client-go's LeaderElectionRecord). */
export interface LeaseRecord {
  /** empty: nobody holds the lease */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** A record as one replica saw it, and when by its own clock. */
export interface Observation {
  record: LeaseRecord;
  /** local time (ms) at which this replica first saw this record */
  at: number;
}

export type Decision =
  | { action: 'wait'; holder: string; expiresAt: number }
  | { action: 'write'; record: LeaseRecord };

const microTime = (ms: number) => new V1MicroTime(ms).toISOString();

const timeText = (t: unknown) =>
  t instanceof Date ? t.toISOString() : (t as string | undefined);

export function recordOf(lease: V1Lease): LeaseRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: timeText(s.acquireTime),
    renewTime: timeText(s.renewTime),
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

const sameRecord = (a: LeaseRecord, b: LeaseRecord) =>
  a.holderIdentity === b.holderIdentity &&
  a.leaseDurationSeconds === b.leaseDurationSeconds &&
  a.acquireTime === b.acquireTime &&
  a.renewTime === b.renewTime &&
  a.leaseTransitions === b.leaseTransitions;

/** The observation after reading `record` at `now`: its time moves only when the record changed. */
export function observe(
  previous: Observation | undefined,
  record: LeaseRecord,
  now: number,
): Observation {
  if (previous && sameRecord(previous.record, record)) return previous;
  return { record, at: now };
}

export const expiresAt = (o: Observation) =>
  o.at + o.record.leaseDurationSeconds * 1000;

/**
 * What a replica does with the lease it just read (client-go's tryAcquireOrRenew after its Get): wait while
 * someone else holds it and it has not expired as seen here; otherwise write itself in as the holder,
 * keeping acquireTime and leaseTransitions when it renews, counting a transition when it takes over.
 */
export function decide(
  observed: Observation,
  now: number,
  identity: string,
  leaseDurationSeconds: number,
): Decision {
  const { record } = observed;
  const mine = record.holderIdentity === identity;
  if (record.holderIdentity && !mine && expiresAt(observed) > now)
    return {
      action: 'wait',
      holder: record.holderIdentity,
      expiresAt: expiresAt(observed),
    };
  const at = microTime(now);
  return {
    action: 'write',
    record: {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: mine ? record.acquireTime : at,
      renewTime: at,
      leaseTransitions: mine
        ? record.leaseTransitions
        : record.leaseTransitions + 1,
    },
  };
}

/** The record of a lease nobody held before: no transition yet. */
export function firstRecord(
  now: number,
  identity: string,
  leaseDurationSeconds: number,
): LeaseRecord {
  const at = microTime(now);
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: at,
    renewTime: at,
    leaseTransitions: 0,
  };
}

/**
 * What a leader that stops writes (client-go's ReleaseOnCancel): no holder, and a one-second duration so
 * a replica that still saw the old holder waits no longer than that.
 */
export function releasedRecord(held: LeaseRecord, now: number): LeaseRecord {
  const at = microTime(now);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: at,
    renewTime: at,
    leaseTransitions: held.leaseTransitions,
  };
}

interface Timing {
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go's checks: LeaseDuration > RenewDeadline > JitterFactor (1.2) × RetryPeriod. */
export function timingOf(o: {
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}): Timing {
  const leaseDurationMs = o.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = o.retryPeriodMs ?? 2_000;
  // the Lease holds whole seconds; the leader must give up before the duration the others read
  const leaseDurationSeconds = Math.floor(leaseDurationMs / 1000);
  if (leaseDurationSeconds < 1)
    throw new Error(
      `leader election: leaseDurationMs must be at least 1000 (the Lease counts whole seconds), not ${leaseDurationMs}`,
    );
  if (renewDeadlineMs >= leaseDurationSeconds * 1000)
    throw new Error(
      `leader election: renewDeadlineMs (${renewDeadlineMs}) must be shorter than the lease duration (${leaseDurationSeconds} s)`,
    );
  if (retryPeriodMs <= 0 || renewDeadlineMs <= 1.2 * retryPeriodMs)
    throw new Error(
      `leader election: renewDeadlineMs (${renewDeadlineMs}) must be longer than 1.2 × retryPeriodMs (${retryPeriodMs})`,
    );
  return { leaseDurationSeconds, renewDeadlineMs, retryPeriodMs };
}

/** waits ms, or less when the signal aborts */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A request that hangs must not hold the election past its deadline (client-go gives each a context timeout). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

class Elector implements LeaderElection {
  readonly leading: Promise<void>;
  private resolveLeading!: () => void;
  private readonly api: CoordinationV1Api;
  private readonly identity: string;
  private readonly timing: Timing;
  private readonly stopping = new AbortController();
  private readonly loop: Promise<void>;
  private stopped?: Promise<void>;
  private observed?: Observation;
  /** the Lease as last read or written: its resourceVersion guards the next write */
  private lease?: V1Lease;
  private lost?: AbortController;
  private deadline?: NodeJS.Timeout;

  constructor(private readonly o: LeaderElectionOptions) {
    this.timing = timingOf(o);
    this.identity = o.identity ?? `${hostname()}_${randomUUID()}`;
    this.api = o.kubeConfig.makeApiClient(CoordinationV1Api);
    this.leading = new Promise(resolve => {
      this.resolveLeading = resolve;
    });
    this.loop = this.run();
  }

  isLeader(): boolean {
    return this.lost !== undefined;
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private get where() {
    return `lease ${this.o.namespace}/${this.o.name}`;
  }

  private async shutDown(): Promise<void> {
    this.stopping.abort();
    // the leader's work hears it first, before anyone else can take over
    this.stopLeading('stopped');
    await this.loop;
    await this.release();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.acquire();
      if (this.stopping.signal.aborted) return;
      await this.renew();
    }
  }

  /** client-go's acquire: retries every retryPeriod with a jitter of 1.2 until it holds the lease */
  private async acquire(): Promise<void> {
    const { retryPeriodMs } = this.timing;
    this.o.log?.(`${this.identity}: trying to acquire ${this.where}`);
    for (;;) {
      const sentAt = Date.now();
      if (await this.tryAcquireOrRenew()) {
        // won while stop() waited for this attempt: release() gives the lease back
        if (!this.stopping.signal.aborted) this.startLeading(sentAt);
        return;
      }
      await pause(
        retryPeriodMs * (1 + 1.2 * Math.random()),
        this.stopping.signal,
      );
      if (this.stopping.signal.aborted) return;
    }
  }

  /** renews every retryPeriod while leading; the deadline timer ends the lead when renewals fail */
  private async renew(): Promise<void> {
    while (this.isLeader() && !this.stopping.signal.aborted) {
      await pause(this.timing.retryPeriodMs, this.stopping.signal);
      if (!this.isLeader() || this.stopping.signal.aborted) return;
      const sentAt = Date.now();
      const renewed = await this.tryAcquireOrRenew();
      if (!this.isLeader()) return;
      if (renewed) this.armDeadline(sentAt);
      else if (this.heldByAnother())
        this.stopLeading(
          `${this.observed!.record.holderIdentity} holds the lease`,
        );
    }
  }

  /** client-go's maybeReportTransition: says so when the holder changed since the last read */
  private noteHolder(record: LeaseRecord): void {
    const before = this.observed?.record.holderIdentity;
    if (
      record.holderIdentity !== before &&
      record.holderIdentity !== this.identity
    )
      this.o.log?.(
        `${this.identity}: ${this.where} held by ${record.holderIdentity || 'nobody'}`,
      );
  }

  private heldByAnother(): boolean {
    const holder = this.observed?.record.holderIdentity;
    return !!holder && holder !== this.identity;
  }

  private startLeading(sentAt: number): void {
    this.lost = new AbortController();
    this.armDeadline(sentAt);
    this.o.log?.(`${this.identity}: leading (${this.where})`);
    this.resolveLeading();
    try {
      this.o.onStartedLeading(this.lost.signal);
    } catch (e) {
      this.o.log?.(`onStartedLeading failed: ${readableError(e)}`);
    }
  }

  /**
   * Measured from when the last successful write was *sent*: the record it wrote cannot be older, so
   * the leader gives up at least leaseDuration − renewDeadline before another replica may take over.
   */
  private armDeadline(sentAt: number): void {
    clearTimeout(this.deadline);
    const left = sentAt + this.timing.renewDeadlineMs - Date.now();
    this.deadline = setTimeout(
      () =>
        this.stopLeading(
          `could not renew within ${this.timing.renewDeadlineMs} ms`,
        ),
      Math.max(0, left),
    );
    this.deadline.unref();
  }

  private stopLeading(reason: string): void {
    const lost = this.lost;
    if (!lost) return;
    this.lost = undefined;
    clearTimeout(this.deadline);
    this.o.log?.(
      `${this.identity}: stopped leading (${this.where}): ${reason}`,
    );
    lost.abort(new Error(`leadership lost: ${reason}`));
    try {
      this.o.onStoppedLeading?.();
    } catch (e) {
      this.o.log?.(`onStoppedLeading failed: ${readableError(e)}`);
    }
  }

  /** client-go's tryAcquireOrRenew: true when this replica holds the lease after it */
  private async tryAcquireOrRenew(): Promise<boolean> {
    try {
      if (this.isLeader() && (await this.renewOptimistically())) return true;
      const lease = await this.read();
      const now = Date.now();
      if (!lease) return await this.create(now);
      this.lease = lease;
      this.noteHolder(recordOf(lease));
      this.observed = observe(this.observed, recordOf(lease), now);
      const d = decide(
        this.observed,
        now,
        this.identity,
        this.timing.leaseDurationSeconds,
      );
      if (d.action === 'wait') return false;
      return await this.write(d.record);
    } catch (e) {
      this.o.log?.(`${this.identity}: ${this.where}: ${readableError(e)}`);
      return false;
    }
  }

  /** the leader's fast path: write over the lease it last saw, without reading it first */
  private async renewOptimistically(): Promise<boolean> {
    const held = this.observed?.record;
    if (!this.lease || held?.holderIdentity !== this.identity) return false;
    const at = microTime(Date.now());
    try {
      return await this.write({ ...held, renewTime: at });
    } catch (e) {
      this.o.log?.(
        `${this.identity}: renewing ${this.where} failed, reading it again: ${readableError(e)}`,
      );
      return false;
    }
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await within(
        this.api.readNamespacedLease({
          namespace: this.o.namespace,
          name: this.o.name,
        }),
        this.timing.renewDeadlineMs,
        `reading ${this.where}`,
      );
    } catch (e) {
      if (httpStatus(e) === 404) return undefined;
      throw e;
    }
  }

  private async create(now: number): Promise<boolean> {
    const record = firstRecord(
      now,
      this.identity,
      this.timing.leaseDurationSeconds,
    );
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.name, namespace: this.o.namespace },
      spec: specOf(record),
    };
    return this.saved(
      () =>
        this.api.createNamespacedLease({ namespace: this.o.namespace, body }),
      record,
    );
  }

  private write(record: LeaseRecord): Promise<boolean> {
    const body: V1Lease = { ...this.lease, spec: specOf(record) };
    return this.saved(
      () =>
        this.api.replaceNamespacedLease({
          namespace: this.o.namespace,
          name: this.o.name,
          body,
        }),
      record,
    );
  }

  /** runs a create or update; 409 means another replica wrote first, which is no error */
  private async saved(
    send: () => Promise<V1Lease>,
    record: LeaseRecord,
  ): Promise<boolean> {
    try {
      this.lease = await within(
        send(),
        this.timing.renewDeadlineMs,
        `writing ${this.where}`,
      );
    } catch (e) {
      if (httpStatus(e) !== 409) throw e;
      this.o.log?.(
        `${this.identity}: another replica wrote ${this.where} first`,
      );
      return false;
    }
    this.observed = { record, at: Date.now() };
    return true;
  }

  /** client-go's release: read the lease again and clear the holder if it still names this replica */
  private async release(): Promise<void> {
    try {
      const lease = await this.read();
      if (!lease || recordOf(lease).holderIdentity !== this.identity) return;
      this.lease = lease;
      if (await this.write(releasedRecord(recordOf(lease), Date.now())))
        this.o.log?.(`${this.identity}: released ${this.where}`);
    } catch (e) {
      this.o.log?.(
        `${this.identity}: releasing ${this.where} failed: ${readableError(e)}`,
      );
    }
  }
}

function specOf(r: LeaseRecord): V1Lease['spec'] {
  const time = (t?: string) => (t ? new V1MicroTime(t) : undefined);
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: time(r.acquireTime),
    renewTime: time(r.renewTime),
    leaseTransitions: r.leaseTransitions,
  };
}

/** @public */
export function startLeaderElection(o: LeaderElectionOptions): LeaderElection {
  return new Elector(o);
}
