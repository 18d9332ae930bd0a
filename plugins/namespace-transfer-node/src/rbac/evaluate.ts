/**
 * Whether RBAC rules grant a request, evaluated as kube-apiserver's RBAC authorizer does (verb, API group,
 * resource with its subresource, resource names; `*` wildcards), without asking any server: so a test can
 * hold what the engine sent against what deploy/ ships.
 */
import type { V1PolicyRule } from '@kubernetes/client-node';

export interface ResourceRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  name?: string;
}

const matches = (allowed: string[] | undefined, wanted: string) =>
  (allowed ?? []).some(a => a === '*' || a === wanted);

function resourceMatches(allowed: string[] | undefined, r: ResourceRequest) {
  const combined = r.subresource
    ? `${r.resource}/${r.subresource}`
    : r.resource;
  return (allowed ?? []).some(
    a =>
      a === '*' ||
      a === combined ||
      (r.subresource !== undefined && a === `*/${r.subresource}`),
  );
}

export function ruleAllows(rule: V1PolicyRule, r: ResourceRequest): boolean {
  if (rule.nonResourceURLs?.length) return false;
  return (
    matches(rule.verbs, r.verb) &&
    matches(rule.apiGroups, r.apiGroup) &&
    resourceMatches(rule.resources, r) &&
    (!rule.resourceNames?.length ||
      (r.name !== undefined && rule.resourceNames.includes(r.name)))
  );
}

export const rulesAllow = (rules: V1PolicyRule[], r: ResourceRequest) =>
  rules.some(rule => ruleAllows(rule, r));
