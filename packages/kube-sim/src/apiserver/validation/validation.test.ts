import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  domainPrefixedPath,
  pathSegmentName,
  qualifiedName,
} from './names';
import { validateCustomResource, structuralize } from './schema';
import { fieldErrorBody, invalidObject } from '../errors';

describe('names', () => {
  it('checks DNS labels, subdomains and qualified names', () => {
    expect(dns1123Label('web-1')).toEqual([]);
    expect(dns1123Label('Web')).toHaveLength(1);
    expect(dns1123Label('a'.repeat(64))[0]).toBe(
      'must be no more than 63 characters',
    );
    expect(dns1123Subdomain('a.b-c.d')).toEqual([]);
    expect(dns1035Label('1abc')).toHaveLength(1);
    expect(qualifiedName('example.com/name_1')).toEqual([]);
    expect(qualifiedName('a/b/c')).toHaveLength(1);
    expect(pathSegmentName('system:admin')).toEqual([]);
    expect(pathSegmentName('a/b')).toEqual(["may not contain '/'"]);
  });

  it('checks domain-prefixed paths part by part', () => {
    const f = (v: string) =>
      domainPrefixedPath('c', v).map(e => `${e.type} ${e.value ?? ''}`);
    expect(f('k8s.io/ingress-nginx')).toEqual([]);
    expect(f('example.com/a/b:c')).toEqual([]);
    expect(f('')).toEqual(['FieldValueRequired ']);
    for (const bad of ['nginx', '/nginx', 'k8s.io/'])
      expect(f(bad)).toEqual([`FieldValueInvalid ${bad}`]);
    expect(f('K8s.io/x')).toEqual(['FieldValueInvalid K8s.io']);
    expect(f('k8s.io/a b')).toEqual(['FieldValueInvalid a b']);
  });
});

describe('object meta', () => {
  it('requires a name and checks labels', () => {
    const errs = validateObjectMeta(
      { metadata: { labels: { 'bad key!': 'v' } } },
      true,
      dns1123Subdomain,
    );
    expect(errs.map(e => e.field)).toEqual([
      'metadata.name',
      'metadata.namespace',
      'metadata.labels',
    ]);
  });
  it('forbids new finalizers on a deleting object', () => {
    const old = {
      metadata: { name: 'a', deletionTimestamp: 'x', finalizers: ['f'] },
    };
    expect(
      validateObjectMetaUpdate(
        { metadata: { name: 'a', finalizers: ['f', 'g'] } },
        old,
      )[0].type,
    ).toBe('FieldValueForbidden');
    expect(
      validateObjectMetaUpdate(
        { metadata: { name: 'a', finalizers: [] } },
        old,
      ),
    ).toEqual([]);
  });
});

describe('errors', () => {
  it('formats Invalid like the real server', () => {
    const e = invalidObject('Pod', '', 'p', [
      { type: 'FieldValueRequired', field: 'spec.containers' },
    ]);
    expect(e.status.message).toBe(
      'Pod "p" is invalid: spec.containers: Required value',
    );
    expect(
      fieldErrorBody({
        type: 'FieldValueNotSupported',
        field: 'f',
        value: 'x',
        supported: ['a', 'b'],
      }),
    ).toBe('Unsupported value: "x": supported values: "a", "b"');
    const two = invalidObject('Deployment', 'apps', 'd', [
      { type: 'FieldValueRequired', field: 'a' },
      {
        type: 'FieldValueInvalid',
        field: 'b',
        value: -1,
        detail: 'must be greater than or equal to 0',
      },
    ]);
    expect(two.status.message).toBe(
      'Deployment.apps "d" is invalid: [a: Required value, b: Invalid value: -1: must be greater than or equal to 0]',
    );
    expect(two.status.details).toMatchObject({
      group: 'apps',
      kind: 'Deployment',
      name: 'd',
    });
  });
});

describe('structural schemas', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['n'],
        properties: {
          n: { type: 'integer', maximum: 5 },
          tags: { type: 'array', items: { type: 'string' } },
          m: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  };
  it('prunes, then validates', () => {
    const obj: any = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', anything: 1 },
      spec: { n: 7, tags: ['a', 1], m: { k: 'v' }, junk: true },
      other: 1,
    };
    structuralize(obj, schema);
    expect(obj).toEqual({
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'a', anything: 1 },
      spec: { n: 7, tags: ['a', 1], m: { k: 'v' } },
    });
    expect(validateCustomResource(obj, schema).map(e => e.field)).toEqual([
      'spec.n',
      'spec.tags[1]',
    ]);
    expect(
      validateCustomResource({ spec: {} }, schema).map(
        e => `${e.type} ${e.field}`,
      ),
    ).toEqual(['FieldValueRequired spec.n']);
  });
});
