/** authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): create-only, never stored. */
import type { KindDescriptor } from './types';

export const authenticationKinds: KindDescriptor[] = [
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    verbs: ['create'],
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    namespaced: false,
  },
];
