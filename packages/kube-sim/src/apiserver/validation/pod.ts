/** Pod validation: the spec on create; on update, the few mutable spec fields only. */
import { type FieldError, forbiddenField } from '../errors';
import type { KObject } from '../registry/types';
import { validatePodSpec } from './podspec';
import { deepEqual } from '../util';

export function validatePod(pod: KObject): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

const same = deepEqual;

export function validatePodUpdate(pod: KObject, old: KObject): FieldError[] {
  const errs = validatePodSpec(pod.spec, 'spec');
  // ValidatePodUpdate: compare the specs with the mutable fields copied over from the new one.
  const mutable = structuredClone(old.spec ?? {});
  const next: KObject = pod.spec ?? {};
  for (const kind of ['containers', 'initContainers'] as const) {
    (mutable[kind] ?? []).forEach((c: KObject, i: number) => {
      const n = next[kind]?.[i];
      if (n && typeof n.image === 'string' && n.image) c.image = n.image;
    });
  }
  mutable.activeDeadlineSeconds = next.activeDeadlineSeconds;
  if (mutable.activeDeadlineSeconds === undefined)
    delete mutable.activeDeadlineSeconds;
  const oldTol: KObject[] = old.spec?.tolerations ?? [];
  const newTol: KObject[] = next.tolerations ?? [];
  const onlyAdditions = oldTol.every(t => newTol.some(n => same(n, t)));
  if (onlyAdditions) {
    mutable.tolerations = next.tolerations;
    if (mutable.tolerations === undefined) delete mutable.tolerations;
  }
  if (!same(mutable, next))
    errs.push(
      forbiddenField(
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    );
  return errs;
}
