/** apiextensions.k8s.io/v1 CustomResourceDefinition (its serving lives in crd.ts). */
import type { KindDescriptor, KObject } from './types';
import { type FieldError, invalid, notSupported, required } from '../errors';

function validateCrd(crd: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: KObject = crd.spec ?? {};
  const names: KObject = spec.names ?? {};
  if (!spec.group) errs.push(required('spec.group'));
  else if (!String(spec.group).includes('.'))
    errs.push(
      invalid(
        'spec.group',
        spec.group,
        'should be a domain with at least one dot',
      ),
    );
  if (!names.plural) errs.push(required('spec.names.plural'));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (
    names.plural &&
    spec.group &&
    crd.metadata?.name !== `${names.plural}.${spec.group}`
  )
    errs.push(
      invalid(
        'metadata.name',
        crd.metadata?.name,
        'must be spec.names.plural+"."+spec.group',
      ),
    );
  if (!['Cluster', 'Namespaced'].includes(spec.scope))
    errs.push(
      notSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']),
    );
  const versions: KObject[] = Array.isArray(spec.versions) ? spec.versions : [];
  if (!versions.length)
    errs.push(
      invalid(
        'spec.versions',
        versions,
        'must have exactly one version marked as storage version',
      ),
    );
  else if (versions.filter(v => v.storage).length !== 1)
    errs.push(
      invalid(
        'spec.versions',
        versions.map(v => v.name),
        'must have exactly one version marked as storage version',
      ),
    );
  versions.forEach((v, i) => {
    if (!v.name) errs.push(required(`spec.versions[${i}].name`));
    if (v.served === undefined)
      errs.push(required(`spec.versions[${i}].served`));
    if (!v.schema?.openAPIV3Schema)
      errs.push(
        required(
          `spec.versions[${i}].schema.openAPIV3Schema`,
          'schemas are required',
        ),
      );
    else if (v.schema.openAPIV3Schema.type !== 'object')
      errs.push(
        invalid(
          `spec.versions[${i}].schema.openAPIV3Schema.type`,
          v.schema.openAPIV3Schema.type,
          'must be object at the root',
        ),
      );
  });
  return errs;
}

const crd: KindDescriptor = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  statusSubresource: true,
  generation: true,
  initialStatus: () => ({
    conditions: [],
    acceptedNames: { plural: '', kind: '' },
    storedVersions: [],
  }),
  mergeKeys: { 'status.conditions': 'type' },
  defaulter: c => {
    c.spec ??= {};
    const n = (c.spec.names ??= {});
    if (n.kind) {
      n.singular ??= String(n.kind).toLowerCase();
      n.listKind ??= `${n.kind}List`;
    }
    c.spec.conversion ??= { strategy: 'None' };
  },
  validate: validateCrd,
  validateUpdate: (c, old) => {
    const errs = validateCrd(c);
    if (c.spec?.scope !== old.spec?.scope)
      errs.push(invalid('spec.scope', c.spec?.scope, 'field is immutable'));
    if (c.spec?.group !== old.spec?.group)
      errs.push(invalid('spec.group', c.spec?.group, 'field is immutable'));
    return errs;
  },
};

export const apiextensionsKinds: KindDescriptor[] = [crd];
