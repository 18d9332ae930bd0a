/** networking.k8s.io/v1 Ingress. */
import type { KindDescriptor, KObject } from './types';
import { type FieldError, notSupported, required } from '../errors';

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
    const errs: FieldError[] = [];
    const spec: KObject = ing.spec ?? {};
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
  },
};

export const networkingKinds: KindDescriptor[] = [ingress];
