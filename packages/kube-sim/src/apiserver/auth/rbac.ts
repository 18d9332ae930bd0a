/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): a request is allowed when some rule of a role bound
 * to the user, one of their groups or their service account covers it. Users in system:masters bypass it.
 */
import type { UserInfo } from '../../contracts';
import type { KObject } from '../registry/types';
import type { Store } from '../store';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

function has(list: string[] | undefined, v: string): boolean {
  return !!list && (list.includes('*') || list.includes(v));
}

function resourceMatches(rule: KObject, a: Attributes): boolean {
  const combined = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const resources: string[] = rule.resources ?? [];
  if (resources.includes('*') || resources.includes(combined)) return true;
  if (
    a.subresource &&
    (resources.includes(`*/${a.subresource}`) ||
      resources.includes(`${a.resource}/*`))
  )
    return true;
  return false;
}

export function ruleAllows(rule: KObject, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.isResourceRequest) {
    return (rule.nonResourceURLs ?? []).some(
      (u: string) =>
        u === '*' ||
        u === a.path ||
        (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  if (!resourceMatches(rule, a)) return false;
  const names: string[] = rule.resourceNames ?? [];
  return names.length === 0 || (!!a.name && names.includes(a.name));
}

function subjectMatches(
  s: KObject,
  user: UserInfo,
  bindingNamespace?: string,
): boolean {
  if (s.kind === 'User') return s.name === user.username;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace ?? bindingNamespace;
    return user.username === `system:serviceaccount:${ns}:${s.name}`;
  }
  return false;
}

export class RbacAuthorizer {
  constructor(private readonly store: Store) {}

  private rulesOf(ref: KObject, namespace?: string): KObject[] {
    if (ref?.kind === 'ClusterRole')
      return (
        this.store.get(
          'clusterroles.rbac.authorization.k8s.io',
          undefined,
          ref.name,
        )?.rules ?? []
      );
    if (ref?.kind === 'Role' && namespace)
      return (
        this.store.get('roles.rbac.authorization.k8s.io', namespace, ref.name)
          ?.rules ?? []
      );
    return [];
  }

  /** Every rule that applies to the user in `namespace` (cluster-wide rules always do). */
  rulesFor(user: UserInfo, namespace?: string): KObject[] {
    const rules: KObject[] = [];
    for (const b of this.store.list(
      'clusterrolebindings.rbac.authorization.k8s.io',
    )) {
      if ((b.subjects ?? []).some((s: KObject) => subjectMatches(s, user)))
        rules.push(...this.rulesOf(b.roleRef));
    }
    if (namespace) {
      for (const b of this.store.list(
        'rolebindings.rbac.authorization.k8s.io',
        namespace,
      )) {
        if (
          (b.subjects ?? []).some((s: KObject) =>
            subjectMatches(s, user, namespace),
          )
        )
          rules.push(...this.rulesOf(b.roleRef, namespace));
      }
    }
    return rules;
  }

  authorize(a: Attributes): Decision {
    if (a.user.groups.includes('system:masters'))
      return { allowed: true, reason: '' };
    const rules = this.rulesFor(
      a.user,
      a.isResourceRequest ? a.namespace : undefined,
    );
    if (rules.some(r => ruleAllows(r, a)))
      return { allowed: true, reason: 'RBAC: allowed by a binding' };
    return { allowed: false, reason: '' };
  }
}

/** `User "x" cannot list resource "pods" in API group "" in the namespace "y"` */
export function forbiddenReason(a: Attributes): string {
  if (!a.isResourceRequest)
    return `User "${a.user.username}" cannot ${a.verb} path "${a.path}"`;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  return `User "${a.user.username}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope}`;
}
