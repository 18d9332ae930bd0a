/**
 * The request trace: every request the API server answered, with who sent it and what RBAC saw (verb as
 * RequestInfo derives it, group, resource, subresource, namespace, name) and the HTTP code. Recorded only
 * while a test holds a recording open, so a server nobody traces keeps nothing.
 */
import type { RequestTrace, TracedRequest } from '../contracts';
import type { Attributes } from './auth/rbac';

export class RequestTracer {
  private readonly open = new Set<TracedRequest[]>();

  /** Starts a recording; it sees the requests answered from now until it is stopped. */
  start(): RequestTrace {
    const entries: TracedRequest[] = [];
    this.open.add(entries);
    return {
      requests: () => [...entries],
      stop: () => {
        this.open.delete(entries);
        return [...entries];
      },
    };
  }

  get recording(): boolean {
    return this.open.size > 0;
  }

  record(request: TracedRequest): void {
    for (const entries of this.open) entries.push(request);
  }
}

/** The trace's line for one answered request, from the attributes the authorizer saw (if it got that far). */
export function tracedRequest(
  a: Partial<Attributes>,
  url: URL,
  code: number,
): TracedRequest {
  return {
    user: a.user?.username ?? '',
    groups: a.user?.groups ?? [],
    verb: a.verb ?? '',
    apiGroup: a.apiGroup ?? '',
    resource: a.resource ?? '',
    ...(a.subresource ? { subresource: a.subresource } : {}),
    ...(a.namespace ? { namespace: a.namespace } : {}),
    ...(a.name ? { name: a.name } : {}),
    ...(a.isResourceRequest ? {} : { path: url.pathname }),
    code,
  };
}
