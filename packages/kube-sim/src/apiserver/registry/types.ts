/**
 * A kind is data: one descriptor says how it is served (discovery), stored (status/scale subresources,
 * generation), defaulted, validated and patched. Adding a kind is adding a descriptor, not a branch.
 */
import type { FieldError } from '../errors';
import type { SliceRules } from '../validation/endpointslice';
import type { NameCheck } from '../validation/names';

// Kubernetes objects are open JSON documents; the API server treats them as such.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KObject = Record<string, any>;

/** What defaulters and validators may look at besides the object itself. */
export interface KindContext {
  openshift: boolean;
  routeDomain: string;
  endpointSliceRules: SliceRules;
}

export interface ScaleSubresource {
  /** dotted paths into the object, as in a CRD's `subresources.scale` */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface KindDescriptor {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** default: the full CRUD + watch set; SelfSubjectAccessReview has only create */
  verbs?: string[];
  /** the object has a status subresource: main-resource writes keep the old status, /status writes only status */
  statusSubresource?: boolean;
  scale?: ScaleSubresource;
  /** extra subresources served by special handlers (binding, log, eviction, finalize) */
  extraSubresources?: string[];
  /** metadata.generation is set to 1 on create and bumped on every change outside metadata and status */
  generation?: boolean;
  /** PUT of a missing object creates it (Endpoints, Events) */
  allowCreateOnUpdate?: boolean;
  /** DELETE returns the object instead of a Success Status (pods, services, custom resources) */
  returnDeletedObject?: boolean;
  /** what status a new object starts with, when the kind has a status subresource (create ignores .status) */
  initialStatus?: (obj: KObject) => KObject | undefined;
  /** field selector labels beyond metadata.name/metadata.namespace, with how to read each */
  fieldSelectors?: Record<string, (obj: KObject) => string | undefined>;
  /** strategic-merge-patch list keys by dotted path (`spec.containers` → `name`); `[]` marks a list element */
  mergeKeys?: Record<string, string>;
  /** lists of primitives merged as sets by strategic merge patch (patchStrategy "merge") */
  mergePrimitiveLists?: string[];
  /** metadata.name syntax; default DNS-1123 subdomain */
  nameCheck?: NameCheck;
  /** main-resource update: fields that only a subresource may change are copied from the old object */
  prepareForUpdate?: (obj: KObject, old: KObject) => void;
  defaulter?: (obj: KObject, ctx: KindContext) => void;
  /** runs on create after uid and name are assigned (the Job strategy derives its selector from the uid) */
  beforeCreate?: (obj: KObject, ctx: KindContext) => void;
  validate?: (obj: KObject, ctx: KindContext) => FieldError[];
  validateUpdate?: (
    obj: KObject,
    old: KObject,
    ctx: KindContext,
  ) => FieldError[];
  /** extra condition before a terminating object may really go away (Namespace: spec.finalizers empty) */
  canFinalize?: (obj: KObject) => boolean;
  /** how DELETE starts: default is immediate unless finalizers; pods and namespaces override */
  gracefulDelete?: (
    obj: KObject,
    requestedGrace: number | undefined,
  ) => GracefulDecision;
  /** custom resources carry their definition's openAPIV3Schema */
  schema?: KObject;
  /** custom resources: the version's additionalPrinterColumns for Table output */
  printerColumns?: KObject[];
  /** custom resources: the version objects are stored in */
  storageVersion?: string;
  /** set for custom resources: the CRD that serves it */
  crd?: string;
}

export interface GracefulDecision {
  /** seconds; 0 means delete now (unless finalizers) */
  grace: number;
  /** a mutation applied to the terminating object (namespace phase Terminating) */
  mark?: (obj: KObject) => void;
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function apiVersionOf(d: { group: string; version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

/** `pods` or `deployments.apps`: the key a resource is stored and watched under */
export function resourceKey(d: { group: string; plural: string }): string {
  return d.group ? `${d.plural}.${d.group}` : d.plural;
}
