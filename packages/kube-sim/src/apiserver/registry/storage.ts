/** storage.k8s.io/v1 StorageClass. */
import type { KindDescriptor } from './types';
import {
  type FieldError,
  forbiddenField,
  notSupported,
  required,
} from '../errors';
import { deepEqual } from '../util';
import { qualifiedName } from '../validation/names';

const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

const storageClass: KindDescriptor = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  namespaced: false,
  shortNames: ['sc'],
  defaulter: sc => {
    sc.reclaimPolicy ??= 'Delete';
    sc.volumeBindingMode ??= 'Immediate';
  },
  validate: sc => {
    const errs: FieldError[] = [];
    if (!sc.provisioner) errs.push(required('provisioner'));
    else
      // ValidateQualifiedName on the lower-cased provisioner, e.g. kubernetes.io/aws-ebs
      for (const m of qualifiedName(String(sc.provisioner).toLowerCase()))
        errs.push({
          type: 'FieldValueInvalid',
          field: 'provisioner',
          value: sc.provisioner,
          detail: m,
        });
    if (sc.reclaimPolicy && !['Delete', 'Retain'].includes(sc.reclaimPolicy))
      errs.push(
        notSupported('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']),
      );
    if (sc.volumeBindingMode && !BINDING_MODES.includes(sc.volumeBindingMode))
      errs.push(
        notSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES),
      );
    return errs;
  },
  validateUpdate: (sc, old) => {
    const errs: FieldError[] = [];
    if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {}))
      errs.push(
        forbiddenField('parameters', 'updates to parameters are forbidden.'),
      );
    if (sc.provisioner !== old.provisioner)
      errs.push(
        forbiddenField('provisioner', 'updates to provisioner are forbidden.'),
      );
    if (sc.reclaimPolicy !== old.reclaimPolicy)
      errs.push(
        forbiddenField(
          'reclaimPolicy',
          'updates to reclaimPolicy are forbidden.',
        ),
      );
    if (sc.volumeBindingMode !== old.volumeBindingMode)
      errs.push(forbiddenField('volumeBindingMode', 'field is immutable'));
    return errs;
  },
};

export const storageKinds: KindDescriptor[] = [storageClass];
