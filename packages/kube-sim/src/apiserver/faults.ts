/** Fault injection for tests: injected errors (with the Status a real overloaded server gives), latency, dropped watches. */
import type {
  FaultHandle,
  FaultInjector,
  FaultRequest,
  FaultRule,
  OutageHandle,
  OutageOptions,
} from '../contracts';
import { ApiError, failure, tooManyRequests } from './errors';
import type { Outages } from './outage';

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

interface ActiveRule {
  rule: FaultRule;
  failuresLeft: number;
  random: () => number;
  hits: number;
  matched: number;
}

/** mulberry32: small, fast, and good enough to decide which requests fail */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultOutcome {
  latencyMs: number;
  error?: ApiError;
}

export const DEFAULT_FAULT_SEED = 0x5eed;

export class Faults implements FaultInjector {
  private rules: ActiveRule[] = [];
  private added = 0;
  private injectedTotal = 0;

  constructor(
    private readonly onDropWatches: () => void,
    private readonly seed = DEFAULT_FAULT_SEED,
    /** the server's listener, for outages (a Faults without a server has none) */
    private readonly outages?: Outages,
  ) {}

  add(rule: FaultRule): FaultHandle {
    // Rules without a seed of their own still differ from each other, and stay the same from run to run
    // as long as a test adds them in the same order.
    const seed =
      rule.seed ?? (this.seed ^ Math.imul(++this.added, 0x9e3779b9)) >>> 0;
    const active: ActiveRule = {
      rule,
      failuresLeft: rule.count ?? Infinity,
      random: mulberry32(seed),
      hits: 0,
      matched: 0,
    };
    this.rules.push(active);
    const remove = () => {
      this.rules = this.rules.filter(r => r !== active);
    };
    return Object.defineProperties(remove, {
      remove: { value: remove },
      hits: { get: () => active.hits, enumerable: true },
      matched: { get: () => active.matched, enumerable: true },
      seed: { value: seed, enumerable: true },
    }) as FaultHandle;
  }

  clear(): void {
    this.rules = [];
  }

  hits(): number {
    return this.injectedTotal;
  }

  dropWatches(): void {
    this.onDropWatches();
  }

  outage(o: OutageOptions): OutageHandle {
    if (!this.outages)
      throw new Error('outages need the API server this injector belongs to');
    return this.outages.begin(o);
  }

  private static matches(r: FaultRule, q: FaultRequest): boolean {
    if (r.verb && r.verb !== '*' && r.verb !== q.verb) return false;
    if (r.resource && r.resource !== '*' && r.resource !== q.resource)
      return false;
    if (r.namespace && r.namespace !== q.namespace) return false;
    if (r.name && r.name !== q.name) return false;
    if (r.user && r.user !== q.user.username) return false;
    return !r.when || r.when(q);
  }

  /** What happens to one request: the summed latency of matching rules, and the first injected error. */
  evaluate(request: FaultRequest): FaultOutcome {
    let latencyMs = 0;
    let error: ApiError | undefined;
    for (const a of this.rules) {
      if (!Faults.matches(a.rule, request)) continue;
      a.matched += 1;
      latencyMs += a.rule.latencyMs ?? 0;
      const rate =
        a.rule.errorRate ??
        (a.rule.status !== undefined || a.rule.count !== undefined ? 1 : 0);
      if (a.failuresLeft <= 0 || rate <= 0) continue;
      // drawn even when an earlier rule already failed the request: a rule's decisions depend only on
      // the requests it matched, not on what other rules did
      const fails = rate >= 1 || a.random() < rate;
      if (fails && !error) {
        a.failuresLeft -= 1;
        a.hits += 1;
        this.injectedTotal += 1;
        error = injected(a.rule.status ?? 500);
      }
    }
    return { latencyMs, error };
  }
}

function injected(code: number): ApiError {
  if (code === 429) return tooManyRequests(1);
  const reason = REASONS[code] ?? 'InternalError';
  let message = `injected fault (${code})`;
  if (code === 500) message = 'Internal error occurred: injected fault';
  else if (code === 503)
    message = 'the server is currently unable to handle the request';
  return failure(
    code,
    reason,
    message,
    code === 503 || code === 504 ? { retryAfterSeconds: 1 } : undefined,
  );
}
