/** rbac.authorization.k8s.io/v1 kinds (pkg/apis/rbac/validation). */
import type { KindDescriptor, KObject } from './types';
import { type FieldError, invalid, notSupported, required } from '../errors';
import { deepEqual } from '../util';
import { pathSegmentName } from '../validation/names';

const rbac = { group: 'rbac.authorization.k8s.io', version: 'v1' };

function validateRules(rules: unknown): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(rules) ? rules : []).forEach((r: KObject, i: number) => {
    const p = `rules[${i}]`;
    if (!(r.verbs ?? []).length)
      errs.push(
        required(`${p}.verbs`, 'verbs must contain at least one value'),
      );
    const nonResource = (r.nonResourceURLs ?? []).length > 0;
    if (
      nonResource &&
      ((r.apiGroups ?? []).length || (r.resources ?? []).length)
    )
      errs.push(
        invalid(
          `${p}.nonResourceURLs`,
          r.nonResourceURLs,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    if (!nonResource) {
      if (!(r.apiGroups ?? []).length)
        errs.push(
          required(
            `${p}.apiGroups`,
            'resource rules must supply at least one api group',
          ),
        );
      if (!(r.resources ?? []).length)
        errs.push(
          required(
            `${p}.resources`,
            'resource rules must supply at least one resource',
          ),
        );
    }
  });
  return errs;
}

function defaultSubjects(b: KObject): void {
  for (const s of b.subjects ?? []) {
    if ((s.kind === 'User' || s.kind === 'Group') && s.apiGroup === undefined)
      s.apiGroup = 'rbac.authorization.k8s.io';
    // the real default for a ServiceAccount is the core group "", which Go's omitempty leaves out of the
    // stored object: writing it would make every `kubectl apply` of a binding see a change
    if (s.kind === 'ServiceAccount' && s.apiGroup === '') delete s.apiGroup;
  }
}

function validateBinding(b: KObject, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b.roleRef;
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!ref) errs.push(required('roleRef'));
  else {
    if (ref.apiGroup !== 'rbac.authorization.k8s.io')
      errs.push(
        notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [
          'rbac.authorization.k8s.io',
        ]),
      );
    if (!kinds.includes(ref.kind))
      errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
    if (!ref.name) errs.push(required('roleRef.name'));
  }
  (Array.isArray(b.subjects) ? b.subjects : []).forEach(
    (s: KObject, i: number) => {
      const p = `subjects[${i}]`;
      if (!s.name) errs.push(required(`${p}.name`));
      if (!['ServiceAccount', 'User', 'Group'].includes(s.kind))
        errs.push(
          notSupported(`${p}.kind`, s.kind ?? '', [
            'ServiceAccount',
            'User',
            'Group',
          ]),
        );
      if (s.kind === 'ServiceAccount' && clusterScoped && !s.namespace)
        errs.push(required(`${p}.namespace`));
    },
  );
  return errs;
}

const roleRefImmutable = (b: KObject, old: KObject): FieldError[] =>
  deepEqual(b.roleRef, old.roleRef)
    ? []
    : [invalid('roleRef', b.roleRef, 'cannot change roleRef')];

const base = { ...rbac, nameCheck: pathSegmentName };

export const rbacKinds: KindDescriptor[] = [
  {
    ...base,
    kind: 'Role',
    plural: 'roles',
    singular: 'role',
    namespaced: true,
    validate: r => validateRules(r.rules),
  },
  {
    ...base,
    kind: 'ClusterRole',
    plural: 'clusterroles',
    singular: 'clusterrole',
    namespaced: false,
    validate: r => validateRules(r.rules),
  },
  {
    ...base,
    kind: 'RoleBinding',
    plural: 'rolebindings',
    singular: 'rolebinding',
    namespaced: true,
    defaulter: defaultSubjects,
    validate: b => validateBinding(b, false),
    validateUpdate: (b, old) => [
      ...validateBinding(b, false),
      ...roleRefImmutable(b, old),
    ],
  },
  {
    ...base,
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    namespaced: false,
    defaulter: defaultSubjects,
    validate: b => validateBinding(b, true),
    validateUpdate: (b, old) => [
      ...validateBinding(b, true),
      ...roleRefImmutable(b, old),
    ],
  },
];
