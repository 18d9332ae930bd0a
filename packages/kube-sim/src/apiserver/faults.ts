/** Fault injection for tests: injected errors (with the Status a real overloaded server gives), latency, dropped watches. */
import type { FaultInjector, FaultRule } from '../contracts';
import { ApiError, failure, tooManyRequests } from './errors';

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
}

export interface FaultOutcome {
  latencyMs: number;
  error?: ApiError;
}

export class Faults implements FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(private readonly onDropWatches: () => void) {}

  add(rule: FaultRule): () => void {
    const active = { rule, failuresLeft: rule.count ?? Infinity };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter(r => r !== active);
    };
  }

  clear(): void {
    this.rules = [];
  }

  dropWatches(): void {
    this.onDropWatches();
  }

  private static matches(
    r: FaultRule,
    verb: string,
    resource: string,
    namespace?: string,
  ): boolean {
    if (r.verb && r.verb !== '*' && r.verb !== verb) return false;
    if (r.resource && r.resource !== '*' && r.resource !== resource)
      return false;
    if (r.namespace && r.namespace !== namespace) return false;
    return true;
  }

  /** What happens to one request: the summed latency of matching rules, and the first injected error. */
  evaluate(verb: string, resource: string, namespace?: string): FaultOutcome {
    let latencyMs = 0;
    let error: ApiError | undefined;
    for (const a of this.rules) {
      if (!Faults.matches(a.rule, verb, resource, namespace)) continue;
      latencyMs += a.rule.latencyMs ?? 0;
      const fails =
        a.rule.errorRate ??
        (a.rule.status !== undefined || a.rule.count !== undefined ? 1 : 0);
      if (!error && a.failuresLeft > 0 && fails > 0 && Math.random() < fails) {
        a.failuresLeft -= 1;
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
