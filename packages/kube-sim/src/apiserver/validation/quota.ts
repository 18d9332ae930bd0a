/** ResourceQuota and LimitRange validation (pkg/apis/core/validation: ValidateResourceQuota, ValidateLimitRange). */
import { type FieldError, invalid, notSupported } from '../errors';
import type { KObject } from '../registry/types';
import { QUANTITY_MESSAGE, tryParseQuantity } from '../../lib/quantity';

function validateQuantities(
  list: unknown,
  field: string,
  errs: FieldError[],
): void {
  for (const [k, v] of Object.entries(
    (list as Record<string, unknown>) ?? {},
  )) {
    const n = tryParseQuantity(v);
    if (n === undefined)
      errs.push(invalid(`${field}[${k}]`, v, QUANTITY_MESSAGE));
    else if (n < 0)
      errs.push(
        invalid(`${field}[${k}]`, v, 'must be greater than or equal to 0'),
      );
  }
}

export function validateResourceQuota(q: KObject): FieldError[] {
  const errs: FieldError[] = [];
  validateQuantities(q.spec?.hard, 'spec.hard', errs);
  validateQuantities(q.status?.hard, 'status.hard', errs);
  validateQuantities(q.status?.used, 'status.used', errs);
  return errs;
}

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

function validateItem(item: KObject, field: string, errs: FieldError[]): void {
  if (!LIMIT_TYPES.includes(item.type))
    errs.push(notSupported(`${field}.type`, item.type, LIMIT_TYPES));
  for (const part of [
    'max',
    'min',
    'default',
    'defaultRequest',
    'maxLimitRequestRatio',
  ])
    validateQuantities(item[part], `${field}.${part}`, errs);
  if (item.type !== 'Container') {
    for (const part of ['default', 'defaultRequest'])
      if (Object.keys(item[part] ?? {}).length)
        errs.push({
          type: 'FieldValueForbidden',
          field: `${field}.${part}`,
          detail: `may not be specified when \`type\` is '${item.type}'`,
        });
  }
  const q = (part: string, k: string) => tryParseQuantity(item[part]?.[k]);
  for (const k of Object.keys(item.min ?? {})) {
    const max = q('max', k);
    if (max !== undefined && (q('min', k) ?? 0) > max)
      errs.push(
        invalid(
          `${field}.min[${k}]`,
          item.min[k],
          `min value ${item.min[k]} is greater than max value ${item.max[k]}`,
        ),
      );
  }
  for (const [k, v] of Object.entries<unknown>(item.maxLimitRequestRatio ?? {}))
    if ((tryParseQuantity(v) ?? 1) < 1)
      errs.push(
        invalid(
          `${field}.maxLimitRequestRatio[${k}]`,
          v,
          `ratio ${v} is less than 1`,
        ),
      );
}

export function validateLimitRange(l: KObject): FieldError[] {
  const errs: FieldError[] = [];
  (l.spec?.limits ?? []).forEach((item: KObject, i: number) =>
    validateItem(item, `spec.limits[${i}]`, errs),
  );
  return errs;
}
