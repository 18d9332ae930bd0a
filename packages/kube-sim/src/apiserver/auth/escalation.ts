/**
 * RBAC escalation prevention (pkg/registry/rbac/{role,rolebinding,...}/policybased): a user may write a Role or ClusterRole only
 * with permissions they already hold (or the `escalate` verb on it), and a binding only to a role whose
 * permissions they hold (or the `bind` verb on it). system:masters and the server itself are exempt.
 */
import type { UserInfo } from '../../contracts';
import type { AdmissionPlugin } from '../admission';
import { forbidden } from '../errors';
import type { KindDescriptor, KObject } from '../registry/types';
import type { Store } from '../store';
import { type Attributes, RbacAuthorizer, ruleAllows } from './rbac';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The atomic permissions a rule grants; `*` stays `*` and must be matched by a `*` the user holds. */
function atoms(rule: KObject): Omit<Attributes, 'user'>[] {
  const out: Omit<Attributes, 'user'>[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const path of rule.nonResourceURLs ?? [])
      out.push({
        verb,
        isResourceRequest: false,
        path,
        apiGroup: '',
        resource: '',
      });
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const res of rule.resources ?? []) {
        const [resource, subresource] = String(res).split('/');
        const names: (string | undefined)[] = (rule.resourceNames ?? []).length
          ? rule.resourceNames
          : [undefined];
        for (const name of names)
          out.push({
            verb,
            isResourceRequest: true,
            path: '',
            apiGroup,
            resource,
            subresource,
            name,
          });
      }
    }
  }
  return out;
}

/** Does one of the user's rules cover the atom, treating the atom's wildcards literally? */
function covered(held: KObject[], atom: Omit<Attributes, 'user'>): boolean {
  return held.some(rule => {
    const has = (list: string[] | undefined, v: string) =>
      !!list && (list.includes('*') || list.includes(v));
    if (!has(rule.verbs, atom.verb)) return false;
    if (!atom.isResourceRequest)
      return ruleAllows(rule, { ...atom, user: { username: '', groups: [] } });
    if (!has(rule.apiGroups, atom.apiGroup)) return false;
    const combined = atom.subresource
      ? `${atom.resource}/${atom.subresource}`
      : atom.resource;
    const resources: string[] = rule.resources ?? [];
    if (!resources.includes('*') && !resources.includes(combined)) return false;
    const names: string[] = rule.resourceNames ?? [];
    return names.length === 0 || (!!atom.name && names.includes(atom.name));
  });
}

function describe(rule: KObject): string {
  const parts: string[] = [];
  if (rule.apiGroups) parts.push(`APIGroups:${JSON.stringify(rule.apiGroups)}`);
  if (rule.resources) parts.push(`Resources:${JSON.stringify(rule.resources)}`);
  if (rule.resourceNames)
    parts.push(`ResourceNames:${JSON.stringify(rule.resourceNames)}`);
  if (rule.nonResourceURLs)
    parts.push(`NonResourceURLs:${JSON.stringify(rule.nonResourceURLs)}`);
  parts.push(`Verbs:${JSON.stringify(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

export function rbacEscalation(
  store: Store,
  enabled: boolean,
): AdmissionPlugin {
  const authorizer = new RbacAuthorizer(store);
  const exempt = (user?: UserInfo) =>
    !enabled || !user || user.groups.includes('system:masters');

  function confirmNoEscalation(
    d: KindDescriptor,
    obj: KObject,
    user: UserInfo,
    rules: KObject[],
    namespace?: string,
  ): void {
    const held = authorizer.rulesFor(user, namespace);
    const missing = (rules ?? []).filter(
      r => !atoms(r).every(a => covered(held, a)),
    );
    if (!missing.length) return;
    throw forbidden(
      { group: d.group, resource: d.plural },
      obj.metadata.name,
      `user "${user.username}" (groups=[${user.groups.map(g => `"${g}"`).join(' ')}]) is attempting to grant RBAC permissions not currently held:\n${missing.map(describe).join('\n')}`,
    );
  }

  const verbAllowed = (
    user: UserInfo,
    verb: string,
    resource: string,
    name: string,
    namespace?: string,
  ) =>
    authorizer.authorize({
      user,
      verb,
      isResourceRequest: true,
      path: '',
      apiGroup: RBAC_GROUP,
      resource,
      name,
      namespace,
    }).allowed;

  function check(d: KindDescriptor, obj: KObject, user?: UserInfo): void {
    if (d.group !== RBAC_GROUP || exempt(user)) return;
    const u = user!;
    const ns = obj.metadata.namespace;
    if (d.kind === 'Role' || d.kind === 'ClusterRole') {
      if (verbAllowed(u, 'escalate', d.plural, obj.metadata.name, ns)) return;
      confirmNoEscalation(d, obj, u, obj.rules ?? [], ns);
      return;
    }
    if (d.kind === 'RoleBinding' || d.kind === 'ClusterRoleBinding') {
      const ref = obj.roleRef ?? {};
      const plural = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      if (verbAllowed(u, 'bind', plural, ref.name, ns)) return;
      const role =
        ref.kind === 'ClusterRole'
          ? store.get(
              'clusterroles.rbac.authorization.k8s.io',
              undefined,
              ref.name,
            )
          : store.get('roles.rbac.authorization.k8s.io', ns, ref.name);
      confirmNoEscalation(
        d,
        obj,
        u,
        role?.rules ?? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
        ns,
      );
    }
  }

  return {
    admitCreate: (d, obj, attrs) => check(d, obj, attrs.user),
    admitUpdate: (d, obj, _old, attrs) => check(d, obj, attrs.user),
  };
}
