/** Secret, ConfigMap and ServiceAccount validation. */
import { type FieldError, forbiddenField, invalid, required } from '../errors';
import type { KObject } from '../registry/types';
import { deepEqual } from '../util';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_SIZE = 1024 * 1024;
const KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

function validateKeys(map: unknown, field: string, errs: FieldError[]): number {
  let size = 0;
  for (const [k, v] of Object.entries((map as Record<string, unknown>) ?? {})) {
    if (!CONFIG_KEY.test(k) || k === '.' || k === '..')
      errs.push(invalid(`${field}[${k}]`, k, KEY_MESSAGE));
    size += typeof v === 'string' ? v.length : 0;
  }
  return size;
}

const REQUIRED_SECRET_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(s: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const size = validateKeys(s.data, 'data', errs);
  // base64 text is 4/3 of the bytes it holds
  if ((size * 3) / 4 > MAX_SIZE)
    errs.push({
      type: 'FieldValueTooLong',
      field: 'data',
      detail: `must have at most ${MAX_SIZE} bytes`,
    });
  for (const key of REQUIRED_SECRET_KEYS[s.type] ?? []) {
    if (!(key in (s.data ?? {}))) errs.push(required(`data[${key}]`));
  }
  if (
    s.type === 'kubernetes.io/service-account-token' &&
    !s.metadata?.annotations?.['kubernetes.io/service-account.name']
  )
    errs.push(
      required('metadata.annotations[kubernetes.io/service-account.name]'),
    );
  if (
    s.type === 'kubernetes.io/basic-auth' &&
    !('username' in (s.data ?? {})) &&
    !('password' in (s.data ?? {}))
  )
    errs.push(required('data[username]'));
  return errs;
}

function immutableData(
  obj: KObject,
  old: KObject,
  fields: string[],
): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(
      forbiddenField('immutable', 'field is immutable when `immutable` is set'),
    );
  for (const f of fields)
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {}))
      errs.push(
        forbiddenField(f, 'field is immutable when `immutable` is set'),
      );
  return errs;
}

export function validateSecretUpdate(s: KObject, old: KObject): FieldError[] {
  const errs = validateSecret(s);
  if ((s.type ?? 'Opaque') !== (old.type ?? 'Opaque'))
    errs.push(invalid('type', s.type, 'field is immutable'));
  return [...errs, ...immutableData(s, old, ['data'])];
}

export function validateConfigMap(
  cm: KObject,
  _ctx?: unknown,
  old?: KObject,
): FieldError[] {
  const errs: FieldError[] = [];
  const size =
    validateKeys(cm.data, 'data', errs) +
    validateKeys(cm.binaryData, 'binaryData', errs);
  for (const k of Object.keys(cm.binaryData ?? {})) {
    if (k in (cm.data ?? {}))
      errs.push(invalid('data', k, 'duplicate of key present in binaryData'));
  }
  if (size > MAX_SIZE)
    errs.push({
      type: 'FieldValueTooLong',
      field: '',
      detail: `must have at most ${MAX_SIZE} bytes`,
    });
  if (old) errs.push(...immutableData(cm, old, ['data', 'binaryData']));
  return errs;
}

export function validateServiceAccount(sa: KObject): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(sa.secrets) ? sa.secrets : []).forEach(
    (s: KObject, i: number) => {
      if (!s?.name) errs.push(required(`secrets[${i}].name`));
    },
  );
  return errs;
}
