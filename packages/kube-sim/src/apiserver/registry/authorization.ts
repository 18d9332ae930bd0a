/** authorization.k8s.io/v1 reviews: create-only, never stored (handled by auth/review.ts). */
import type { KindDescriptor } from './types';

const authz = {
  group: 'authorization.k8s.io',
  version: 'v1',
  verbs: ['create'],
};

export const authorizationKinds: KindDescriptor[] = [
  {
    ...authz,
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    namespaced: false,
  },
  {
    ...authz,
    kind: 'SelfSubjectRulesReview',
    plural: 'selfsubjectrulesreviews',
    singular: 'selfsubjectrulesreview',
    namespaced: false,
  },
  {
    ...authz,
    kind: 'SubjectAccessReview',
    plural: 'subjectaccessreviews',
    singular: 'subjectaccessreview',
    namespaced: false,
  },
];

/** Kinds whose create is a question, not a write (with authentication.k8s.io's SelfSubjectReview). */
export const REVIEW_KINDS = new Set([
  'SelfSubjectReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SubjectAccessReview',
]);
