/** Name and label syntax of k8s.io/apimachinery/pkg/util/validation, with the real messages. */
import { type FieldError, invalid, required } from '../errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export type NameCheck = (name: string) => string[];

export const dns1123Label: NameCheck = name => {
  const out: string[] = [];
  if (name.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(name))
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  return out;
};

export const dns1123Subdomain: NameCheck = name => {
  const out: string[] = [];
  if (name.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(name))
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  return out;
};

export const dns1035Label: NameCheck = name => {
  const out: string[] = [];
  if (name.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(name))
    out.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  return out;
};

/** RBAC objects and a few others accept any name usable as a path segment. */
export const pathSegmentName: NameCheck = name => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const bad = ['/', '%'].filter(c => name.includes(c));
  return bad.map(c => `may not contain '${c}'`);
};

/** `prefix/name` label and annotation keys. */
export function qualifiedName(key: string): string[] {
  const parts = key.split('/');
  const out: string[] = [];
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (!prefix) out.push('prefix part must be non-empty');
    else out.push(...dns1123Subdomain(prefix).map(m => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (!name) out.push('name part must be non-empty');
  else {
    if (name.length > 63)
      out.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME.test(name))
      out.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      );
  }
  return out;
}

export function labelValue(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v))
    out.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return out;
}

// RFC 3986 path characters: unreserved, percent-encoded octets, sub-delims and ':'
const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/**
 * IsDomainPrefixedPath (e.g. `acme.io/foo`, an IngressClass controller): a DNS subdomain, '/', then an
 * HTTP path. As in apimachinery, each error carries the part it is about (host or path), not the whole.
 */
export function domainPrefixedPath(field: string, value: string): FieldError[] {
  if (!value) return [required(field)];
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1)
    return [
      invalid(
        field,
        value,
        'must be a domain-prefixed path (such as "acme.io/foo")',
      ),
    ];
  const host = value.slice(0, slash);
  const path = value.slice(slash + 1);
  const errs = dns1123Subdomain(host).map(m => invalid(field, host, m));
  if (!HTTP_PATH.test(path))
    errs.push(
      invalid(
        field,
        path,
        "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      ),
    );
  return errs;
}

export const isCIdentifier = (s: string) => C_IDENTIFIER.test(s);
export const isEnvVarName = (s: string) =>
  ENV_VAR_NAME.test(s) && s !== '.' && s !== '..' && !s.startsWith('..');
