/** SelfSubjectAccessReview and SubjectAccessReview: the authorizer's answer to "may this user do X?". */
import type { UserInfo } from '../../contracts';
import { badRequest, invalidObject, required } from '../errors';
import type { KObject } from '../registry/types';
import type { Attributes, Decision } from './rbac';

export type Authorize = (a: Attributes) => Decision;

function attributesFrom(
  spec: KObject,
  user: UserInfo,
  kind: string,
): Attributes {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (!ra && !nra)
    throw invalidObject(kind, 'authorization.k8s.io', '', [
      required(
        'spec.resourceAttributes',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ]);
  if (ra)
    return {
      user,
      verb: ra.verb ?? '',
      isResourceRequest: true,
      path: '',
      apiGroup: ra.group ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource || undefined,
      namespace: ra.namespace || undefined,
      name: ra.name || undefined,
    };
  return {
    user,
    verb: nra.verb ?? '',
    isResourceRequest: false,
    path: nra.path ?? '',
    apiGroup: '',
    resource: '',
  };
}

/** SelfSubjectRulesReview: the rules that apply to the requester in spec.namespace (kubectl auth can-i --list). */
export function rulesReview(
  body: KObject,
  requester: UserInfo,
  rulesFor: (u: UserInfo, ns?: string) => KObject[],
  rbacEnabled: boolean,
): KObject {
  const namespace = body.spec?.namespace;
  const rules =
    rbacEnabled && !requester.groups.includes('system:masters')
      ? rulesFor(requester, namespace || undefined)
      : [
          { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['*'], verbs: ['*'] },
        ];
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec ?? {},
    status: {
      resourceRules: rules
        .filter(r => !r.nonResourceURLs)
        .map(r => ({
          verbs: r.verbs,
          apiGroups: r.apiGroups,
          resources: r.resources,
          resourceNames: r.resourceNames,
        })),
      nonResourceRules: rules
        .filter(r => r.nonResourceURLs)
        .map(r => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  };
}

export function review(
  body: KObject,
  requester: UserInfo,
  authorize: Authorize,
): KObject {
  const kind = body.kind;
  if (kind !== 'SelfSubjectAccessReview' && kind !== 'SubjectAccessReview')
    throw badRequest(`unsupported review kind ${kind}`);
  let subject = requester;
  if (kind === 'SubjectAccessReview') {
    if (!body.spec?.user && !(body.spec?.groups ?? []).length)
      throw invalidObject(kind, 'authorization.k8s.io', '', [
        required(
          'spec.user',
          'at least one of user or group must be specified',
        ),
      ]);
    subject = {
      username: body.spec.user ?? '',
      groups: body.spec.groups ?? [],
    };
  }
  const decision = authorize(attributesFrom(body.spec, subject, kind));
  return {
    kind,
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec,
    status: {
      allowed: decision.allowed,
      ...(decision.reason ? { reason: decision.reason } : {}),
    },
  };
}

/** SelfSubjectReview (`kubectl auth whoami`): the user the request acts as, after impersonation. */
export function selfSubjectReview(requester: UserInfo): KObject {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: requester.username,
        ...(requester.uid !== undefined ? { uid: requester.uid } : {}),
        groups: requester.groups,
        ...(requester.extra ? { extra: requester.extra } : {}),
      },
    },
  };
}
