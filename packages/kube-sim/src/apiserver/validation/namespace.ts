/** Namespace validation: spec.finalizers are qualified names; the name is a DNS-1123 label (checked by meta). */
import { type FieldError, invalid } from '../errors';
import type { KObject } from '../registry/types';
import { qualifiedName } from './names';

export function validateNamespace(ns: KObject): FieldError[] {
  const errs: FieldError[] = [];
  (ns.spec?.finalizers ?? []).forEach((f: unknown, i: number) => {
    if (typeof f !== 'string')
      errs.push(invalid(`spec.finalizers[${i}]`, f, 'must be a string'));
    else
      for (const m of qualifiedName(f))
        errs.push(invalid(`spec.finalizers[${i}]`, f, m));
  });
  return errs;
}

export function validateNamespaceUpdate(ns: KObject): FieldError[] {
  return validateNamespace(ns);
}
