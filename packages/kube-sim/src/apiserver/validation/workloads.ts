/** Validation of workloads that own pods through a selector and a pod template (apps/v1, batch/v1). */
import { type FieldError, invalid, required } from '../errors';
import type { KObject } from '../registry/types';
import { labelSelectorFromObject } from '../../lib/selectors';
import { deepEqual, getPath } from '../util';
import { validateLabels } from './meta';
import { validatePodSpec } from './podspec';

export interface WorkloadShape {
  /** dotted path of the PodTemplateSpec: `spec.template`, `spec.jobTemplate.spec.template` */
  template: string;
  /** dotted path of the selector; undefined when the kind has none (CronJob) */
  selector?: string;
  replicas?: string;
  restartPolicies?: string[];
  /**
   * false for StatefulSet: the real server does not validate its template as a pod spec, because the
   * containers mount volumes that only volumeClaimTemplates provide; pods are validated when created.
   */
  validatePodSpec?: boolean;
}

export function validateWorkload(
  obj: KObject,
  shape: WorkloadShape,
): FieldError[] {
  const errs: FieldError[] = [];
  if (shape.replicas) {
    const r = getPath(obj, shape.replicas);
    if (r !== undefined && (!Number.isInteger(r) || (r as number) < 0))
      errs.push(
        invalid(shape.replicas, r, 'must be greater than or equal to 0'),
      );
  }
  const template = getPath(obj, shape.template) as KObject | undefined;
  if (!template) {
    errs.push(required(shape.template));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  errs.push(...validateLabels(labels, `${shape.template}.metadata.labels`));
  if (shape.selector) {
    const sel = getPath(obj, shape.selector) as KObject | undefined;
    if (!sel) errs.push(required(shape.selector));
    else {
      if (
        !Object.keys(sel.matchLabels ?? {}).length &&
        !(sel.matchExpressions ?? []).length
      )
        errs.push(
          invalid(
            shape.selector,
            sel,
            'empty selector is invalid for deployment',
          ),
        );
      else if (!labelSelectorFromObject(sel)(k => labels[k]))
        errs.push(
          invalid(
            `${shape.template}.metadata.labels`,
            labels,
            '`selector` does not match template `labels`',
          ),
        );
    }
  }
  const rp = template.spec?.restartPolicy;
  if (shape.restartPolicies && rp === undefined)
    errs.push(
      required(
        `${shape.template}.spec.restartPolicy`,
        `valid values: ${shape.restartPolicies.map(p => `"${p}"`).join(', ')}`,
      ),
    );
  if (shape.validatePodSpec !== false)
    errs.push(
      ...validatePodSpec(
        template.spec,
        `${shape.template}.spec`,
        shape.restartPolicies,
      ),
    );
  return errs;
}

export function validateSelectorImmutable(
  obj: KObject,
  old: KObject,
  path: string,
): FieldError[] {
  const a = getPath(obj, path);
  const b = getPath(old, path);
  return deepEqual(a, b) ? [] : [invalid(path, a, 'field is immutable')];
}
