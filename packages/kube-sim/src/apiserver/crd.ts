/**
 * Serving CustomResourceDefinitions: an established CRD's versions become kind descriptors at once (CRUD,
 * watch, status/scale subresources when declared, schema defaulting, pruning and validation), and go away
 * with their objects when the CRD is deleted. Establishing is what apiextensions-apiserver's controllers do
 * asynchronously; here it happens on the write that creates the CRD.
 */
import type { AdmissionPlugin } from './admission';
import {
  type KindDescriptor,
  type KObject,
  resourceKey,
} from './registry/types';
import type { ApiContext } from './rest/context';
import { nowTimestamp } from './rest/context';
import { structuralize, validateCustomResource } from './validation/schema';

const stripDot = (p: string) => p.replace(/^\./, '');

export function descriptorsOf(crd: KObject): KindDescriptor[] {
  const spec = crd.spec;
  const names = spec.names;
  return (spec.versions ?? [])
    .filter((v: KObject) => v.served)
    .map((v: KObject): KindDescriptor => {
      const schema = v.schema?.openAPIV3Schema ?? {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      };
      const scale = v.subresources?.scale;
      return {
        group: spec.group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames,
        categories: names.categories,
        statusSubresource: !!v.subresources?.status,
        scale: scale
          ? {
              specReplicasPath: stripDot(scale.specReplicasPath),
              statusReplicasPath: stripDot(scale.statusReplicasPath),
              labelSelectorPath: scale.labelSelectorPath
                ? stripDot(scale.labelSelectorPath)
                : undefined,
            }
          : undefined,
        generation: true,
        returnDeletedObject: true,
        schema,
        printerColumns: v.additionalPrinterColumns ?? [],
        storageVersion: (spec.versions ?? []).find((x: KObject) => x.storage)
          ?.name,
        crd: crd.metadata.name,
        defaulter: o => structuralize(o, schema),
        validate: o => validateCustomResource(o, schema),
      };
    });
}

function establish(crd: KObject): KObject {
  const next = structuredClone(crd);
  const now = nowTimestamp();
  const storage = (crd.spec.versions ?? []).find(
    (v: KObject) => v.storage,
  )?.name;
  const stored: string[] = [...(crd.status?.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  next.status = {
    ...(crd.status ?? {}),
    acceptedNames: { ...crd.spec.names },
    storedVersions: stored,
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
  };
  return next;
}

export function crdLifecycle(
  api: ApiContext,
  closeWatches: (resource: string) => void,
): AdmissionPlugin {
  const isCrd = (d: KindDescriptor) =>
    d.kind === 'CustomResourceDefinition' && d.group === 'apiextensions.k8s.io';
  const unregister = (crd: KObject) => {
    for (const d of api.registry.all().filter(x => x.crd === crd.metadata.name))
      api.registry.remove(d.group, d.version, d.plural);
  };
  const register = (crd: KObject) => {
    unregister(crd);
    for (const d of descriptorsOf(crd)) api.registry.add(d);
  };
  return {
    afterCreate(d, crd) {
      if (!isCrd(d)) return;
      register(crd);
      api.store.update(
        'customresourcedefinitions.apiextensions.k8s.io',
        establish(crd),
        crd,
      );
    },
    afterUpdate(d, crd) {
      if (isCrd(d) && !crd.metadata.deletionTimestamp) register(crd);
    },
    afterDelete(d, crd) {
      if (!isCrd(d)) return;
      unregister(crd);
      const key = resourceKey({
        group: crd.spec.group,
        plural: crd.spec.names.plural,
      });
      closeWatches(key);
      api.store.dropResource(key);
    },
  };
}
