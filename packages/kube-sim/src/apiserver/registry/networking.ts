/** networking.k8s.io/v1 Ingress and IngressClass. */
import type { KindDescriptor, KObject } from './types';
import {
  type FieldError,
  forbiddenField,
  invalid,
  notSupported,
  required,
} from '../errors';
import {
  dns1123Label,
  dns1123Subdomain,
  domainPrefixedPath,
  pathSegmentName,
} from '../validation/names';

/** The legacy class annotation: still honoured by controllers, so create refuses one that disagrees. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const MAX_CONTROLLER_LENGTH = 250;
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(
  b: KObject | undefined,
  path: string,
  errs: FieldError[],
): void {
  if (!b) {
    errs.push(required(path));
    return;
  }
  if (!b.service && !b.resource)
    errs.push({
      type: 'FieldValueInvalid',
      field: path,
      value: '',
      detail: 'one backend (`service` or `resource`) must be specified',
    });
  if (b.service) {
    if (!b.service.name) errs.push(required(`${path}.service.name`));
    if (
      !b.service.port ||
      (b.service.port.number === undefined && !b.service.port.name)
    )
      errs.push(
        required(`${path}.service.port`, 'port name or number is required'),
      );
  }
}

function validateIngress(ing: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: KObject = ing.spec ?? {};
  if (typeof spec.ingressClassName === 'string')
    for (const m of dns1123Subdomain(spec.ingressClassName))
      errs.push(invalid('spec.ingressClassName', spec.ingressClassName, m));
  if (!spec.defaultBackend && !(spec.rules ?? []).length)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec',
      value: spec,
      detail: 'either `defaultBackend` or `rules` must be specified',
    });
  if (spec.defaultBackend)
    validateBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
  (spec.rules ?? []).forEach((r: KObject, i: number) => {
    (r.http?.paths ?? []).forEach((p: KObject, j: number) => {
      const path = `spec.rules[${i}].http.paths[${j}]`;
      if (!p.pathType)
        errs.push(required(`${path}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType))
        errs.push(notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
      if (
        p.pathType !== 'ImplementationSpecific' &&
        p.path !== undefined &&
        !String(p.path).startsWith('/')
      )
        errs.push({
          type: 'FieldValueInvalid',
          field: `${path}.path`,
          value: p.path,
          detail: 'must be an absolute path',
        });
      validateBackend(p.backend, `${path}.backend`, errs);
    });
  });
  return errs;
}

const ingress: KindDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  statusSubresource: true,
  generation: true,
  initialStatus: () => ({ loadBalancer: {} }),
  validate: ing => {
    const errs = validateIngress(ing);
    // ValidateIngressCreate only: objects stored before the check existed stay updatable
    const annotation = ing.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
    const className = ing.spec?.ingressClassName;
    if (
      annotation !== undefined &&
      className !== undefined &&
      className !== null &&
      annotation !== className
    )
      errs.push(
        invalid(
          `annotations.${INGRESS_CLASS_ANNOTATION}`,
          annotation,
          'must match `ingressClassName` when both are specified',
        ),
      );
    return errs;
  },
  validateUpdate: ing => validateIngress(ing),
};

/** spec.parameters: what configures the controller for this class (a CRD object, usually). */
function validateParameters(p: KObject | undefined): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  const at = (f: string) => `spec.parameters.${f}`;
  if (p.apiGroup !== undefined && p.apiGroup !== null)
    for (const m of dns1123Subdomain(String(p.apiGroup)))
      errs.push(invalid(at('apiGroup'), p.apiGroup, m));
  for (const f of ['kind', 'name']) {
    if (!p[f]) errs.push(required(at(f), `${f} is required`));
    else
      for (const m of pathSegmentName(String(p[f])))
        errs.push(invalid(at(f), p[f], m));
  }
  if (!PARAMETER_SCOPES.includes(p.scope)) {
    errs.push(notSupported(at('scope'), p.scope ?? '', PARAMETER_SCOPES));
    return errs;
  }
  const hasNamespace = p.namespace !== undefined && p.namespace !== null;
  if (p.scope === 'Namespace') {
    if (!hasNamespace)
      errs.push(
        required(at('namespace'), "`parameters.scope` is set to 'Namespace'"),
      );
    else
      for (const m of dns1123Label(String(p.namespace)))
        errs.push(invalid(at('namespace'), p.namespace, m));
  } else if (hasNamespace)
    errs.push(
      forbiddenField(at('namespace'), "`parameters.scope` is set to 'Cluster'"),
    );
  return errs;
}

function validateIngressClass(ic: KObject): FieldError[] {
  const controller = String(ic.spec?.controller ?? '');
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH)
    errs.push({
      type: 'FieldValueTooLong',
      field: 'spec.controller',
      detail: `must have at most ${MAX_CONTROLLER_LENGTH} bytes`,
    });
  errs.push(...domainPrefixedPath('spec.controller', controller));
  errs.push(...validateParameters(ic.spec?.parameters));
  return errs;
}

/**
 * Which controller implements Ingresses of this class. Cluster-scoped, no status; the controller is
 * fixed for the class's life (controllers select their classes by it), the parameters may change.
 */
const ingressClass: KindDescriptor = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  defaulter: ic => {
    if (ic.spec?.parameters) ic.spec.parameters.scope ??= 'Cluster';
  },
  validate: validateIngressClass,
  validateUpdate: (ic, old) => {
    const errs: FieldError[] = [];
    if ((ic.spec?.controller ?? '') !== (old.spec?.controller ?? ''))
      errs.push(
        invalid('spec.controller', ic.spec?.controller, 'field is immutable'),
      );
    return [...errs, ...validateIngressClass(ic)];
  },
};

export const networkingKinds: KindDescriptor[] = [ingress, ingressClass];
