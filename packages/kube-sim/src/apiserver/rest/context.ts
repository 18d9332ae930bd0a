/** What every REST handler works with: the kinds, the store and the admission chain of one cluster. */
import type { UserInfo } from '../../contracts';
import type { Admission } from '../admission';
import type { GroupResource } from '../errors';
import type { KindContext, KindDescriptor, KObject } from '../registry/types';
import type { Registry } from '../registry';
import type { RequestInfo } from '../router';
import type { Store } from '../store';
import { resourceKey } from '../registry/types';

export interface ApiContext {
  registry: Registry;
  store: Store;
  kindContext: KindContext;
  admission: Admission;
}

export interface RestRequest {
  info: RequestInfo;
  query: URLSearchParams;
  body?: Buffer;
  contentType: string;
  /** the Accept header: `as=Table` turns reads into meta.k8s.io Tables */
  accept?: string;
  user: UserInfo;
}

export interface RestResult {
  code: number;
  body: unknown;
  contentType?: string;
}

export const gr = (d: KindDescriptor): GroupResource => ({
  group: d.group,
  resource: d.plural,
});
export const keyOf = resourceKey;

export function isDryRun(q: URLSearchParams, opts?: KObject): boolean {
  return (
    q.getAll('dryRun').includes('All') ||
    (Array.isArray(opts?.dryRun) && opts!.dryRun.includes('All'))
  );
}

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function nowTimestamp(offsetSeconds = 0): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + offsetSeconds * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}
