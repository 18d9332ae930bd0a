/** Decoding request bodies as the real handlers do: JSON only, type meta checked against the URL. */
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '../errors';
import {
  apiVersionOf,
  type KindDescriptor,
  type KObject,
} from '../registry/types';
import { isPlainObject } from '../util';

export function parseJson(raw: Buffer | undefined): unknown {
  const text = raw?.toString('utf8') ?? '';
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request could not be decoded: ${(e as Error).message}`,
    );
  }
}

const BODY_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
];

/** Create/update bodies: JSON, or YAML as the real server also accepts; protobuf is not spoken here. */
export function parseBody(
  raw: Buffer | undefined,
  contentType: string,
): unknown {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/yaml') {
    try {
      return parseYaml(raw?.toString('utf8') ?? '');
    } catch (e) {
      throw badRequest(
        `the body of the request could not be decoded: ${(e as Error).message}`,
      );
    }
  }
  if (type && type !== 'application/json' && type !== '*/*')
    throw unsupportedMediaType(BODY_TYPES.filter(t => !t.includes('protobuf')));
  return parseJson(raw);
}

/** An object for `d`: kind and apiVersion default from the URL and must match it when given. */
export function decodeObject(
  raw: Buffer | undefined,
  contentType: string,
  d: KindDescriptor,
  expectKind = d.kind,
  expectApiVersion = apiVersionOf(d),
): KObject {
  const obj = parseBody(raw, contentType);
  if (!isPlainObject(obj))
    throw badRequest(`the body of the request was not a JSON object`);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectApiVersion)
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectApiVersion})`,
    );
  if (obj.kind !== undefined && obj.kind !== expectKind)
    throw badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${expectKind})`,
    );
  if (d.crd && (obj.kind === undefined || obj.apiVersion === undefined))
    throw badRequest(
      `Object '${obj.kind === undefined ? 'Kind' : 'apiVersion'}' is missing in '${JSON.stringify(obj).slice(0, 200)}'`,
    );
  obj.apiVersion = expectApiVersion;
  obj.kind = expectKind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata))
    throw badRequest('metadata must be an object');
  checkBase64Fields(obj, d);
  return obj;
}

const BASE64_FIELDS: Record<string, string[]> = {
  Secret: ['data'],
  ConfigMap: ['binaryData'],
};

/** []byte fields are base64 in JSON; a value that is not fails decoding, before any validation. */
function checkBase64Fields(obj: KObject, d: KindDescriptor): void {
  const fields = BASE64_FIELDS[d.kind] ?? [];
  for (const f of fields) {
    for (const [k, v] of Object.entries(obj[f] ?? {})) {
      if (
        typeof v !== 'string' ||
        !/^[A-Za-z0-9+/]*={0,2}$/.test(v) ||
        v.length % 4 !== 0
      )
        throw badRequest(
          `${d.kind} in version "${d.version}" cannot be handled as a ${d.kind}: illegal base64 data at input byte 0 (key ${JSON.stringify(k)})`,
        );
    }
  }
}
