/**
 * User impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): after authentication, the
 * `Impersonate-User`, `Impersonate-Group` (repeatable), `Impersonate-Uid` and `Impersonate-Extra-<key>`
 * headers switch the request to another user, once the authorizer allows the authenticated user the verb
 * `impersonate` on each thing asked for:
 *
 * | header                                   | resource checked                                                |
 * | ---------------------------------------- | --------------------------------------------------------------- |
 * | `Impersonate-User: system:serviceaccount:NS:NAME` | `serviceaccounts` (core), name NAME in the namespace NS |
 * | `Impersonate-User: NAME` (any other)     | `users` (core), name NAME, cluster scope                        |
 * | `Impersonate-Group: G`                   | `groups` (core), name G, cluster scope                          |
 * | `Impersonate-Uid: U`                     | `uids` (authentication.k8s.io), name U                          |
 * | `Impersonate-Extra-KEY: V`               | `userextras/KEY` (authentication.k8s.io), name V                |
 *
 * Everything after this (fault rules, authorization, admission, access reviews) sees the impersonated user.
 */
import type { UserInfo } from '../../contracts';
import { failure, forbidden } from '../errors';
import { type Attributes, type Decision, forbiddenReason } from './rbac';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const ANONYMOUS = 'system:anonymous';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';

/** One thing a request asks to impersonate, as the real filter's ObjectReference. */
export type ImpersonationRequest =
  | { kind: 'ServiceAccount'; namespace: string; name: string }
  | { kind: 'User'; name: string }
  | { kind: 'Group'; name: string }
  | { kind: 'UserExtra'; key: string; value: string }
  | { kind: 'UID'; name: string };

/** Request headers with every value of each (Node's `req.headersDistinct`; names lower-case). */
export type DistinctHeaders = Record<string, string[] | undefined>;

/** serviceaccount.SplitUsername: `system:serviceaccount:NS:NAME` with a valid namespace and name. */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

/** url.PathUnescape, keeping the key as sent when it is not valid %-encoding. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function describe(r: ImpersonationRequest): string {
  switch (r.kind) {
    case 'ServiceAccount':
      return `ServiceAccount ${r.namespace}/${r.name}`;
    case 'UserExtra':
      return `UserExtra ${r.key}=${r.value}`;
    default:
      return `${r.kind} ${r.name}`;
  }
}

/**
 * What the headers ask to impersonate, in the real filter's order: the user, each group, each extra value,
 * the UID. Groups, extras or a UID without a user are refused (500, as the real server answers).
 */
export function impersonationRequests(
  headers: DistinctHeaders,
  requestUri = '',
): ImpersonationRequest[] {
  const out: ImpersonationRequest[] = [];
  const user = headers[USER]?.[0] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    out.push(
      sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: user },
    );
  }
  const groups = headers[GROUP] ?? [];
  for (const name of groups) out.push({ kind: 'Group', name });
  let hasExtra = false;
  for (const header of Object.keys(headers).sort()) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(EXTRA_PREFIX.length));
    for (const value of headers[header] ?? [])
      out.push({ kind: 'UserExtra', key, value });
  }
  const uid = headers[UID]?.[0] ?? '';
  if (uid) out.push({ kind: 'UID', name: uid });
  if ((groups.length || hasExtra || uid) && !user)
    throw failure(
      500,
      'InternalError',
      `Internal Server Error: "${requestUri}": requested [${out
        .map(describe)
        .join(', ')}] without impersonating a user`,
    );
  return out;
}

/** The attributes the authorizer is asked for one impersonation request. */
export function impersonationAttributes(
  requestor: UserInfo,
  r: ImpersonationRequest,
): Attributes {
  const base = {
    user: requestor,
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
  };
  switch (r.kind) {
    case 'ServiceAccount':
      return {
        ...base,
        apiGroup: '',
        resource: 'serviceaccounts',
        namespace: r.namespace,
        name: r.name,
      };
    case 'User':
      return { ...base, apiGroup: '', resource: 'users', name: r.name };
    case 'Group':
      return { ...base, apiGroup: '', resource: 'groups', name: r.name };
    case 'UID':
      return {
        ...base,
        apiGroup: 'authentication.k8s.io',
        resource: 'uids',
        name: r.name,
      };
    case 'UserExtra':
      return {
        ...base,
        apiGroup: 'authentication.k8s.io',
        resource: 'userextras',
        subresource: r.key,
        name: r.value,
      };
    default:
      throw new Error('unknown impersonation request');
  }
}

/**
 * The user a request acts as: `requestor` when it asks to impersonate nobody, else the impersonated user,
 * once `authorize` allowed every part of it; the first part refused is a 403 with the real message
 * (`users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the
 * cluster scope`).
 */
export function impersonate(
  requestor: UserInfo,
  headers: DistinctHeaders,
  authorize: (a: Attributes) => Decision,
  requestUri = '',
): UserInfo {
  const requests = impersonationRequests(headers, requestUri);
  if (!requests.length) return requestor;
  // groups given in headers are the authority; a service account's are known when none are given
  const groupsSpecified = (headers[GROUP] ?? []).length > 0;
  let username = '';
  let groups: string[] = [];
  let uid: string | undefined;
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attrs = impersonationAttributes(requestor, r);
    const decision = authorize(attrs);
    if (!decision.allowed)
      throw forbidden(
        { group: attrs.apiGroup, resource: attrs.resource },
        attrs.name,
        forbiddenReason(attrs),
      );
    switch (r.kind) {
      case 'ServiceAccount':
        username = `${SERVICE_ACCOUNT_PREFIX}${r.namespace}:${r.name}`;
        if (!groupsSpecified)
          groups = [
            'system:serviceaccounts',
            `system:serviceaccounts:${r.namespace}`,
          ];
        break;
      case 'User':
        username = r.name;
        break;
      case 'Group':
        groups.push(r.name);
        break;
      case 'UserExtra':
        (extra[r.key] ??= []).push(r.value);
        break;
      case 'UID':
        uid = r.name;
        break;
      default:
        break;
    }
  }
  if (username !== ANONYMOUS) {
    if (
      !groups.includes(ALL_AUTHENTICATED) &&
      !groups.includes(ALL_UNAUTHENTICATED)
    )
      groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED))
    groups.push(ALL_UNAUTHENTICATED);
  return {
    username,
    groups,
    ...(uid !== undefined ? { uid } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/** `alice (as system:serviceaccount:ns:sa)` for the request trace, as the real server's httplog says it. */
export function describeActor(requestor: UserInfo, user: UserInfo): string {
  return user === requestor
    ? requestor.username
    : `${requestor.username} (as ${user.username})`;
}
