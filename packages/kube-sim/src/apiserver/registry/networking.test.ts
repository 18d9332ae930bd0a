/** Ingress and IngressClass through the API: defaulting, validation, no built-in class, default-class admission. */
import { startTestServer, type TestServer } from '../testutil';

const CLASSES = '/apis/networking.k8s.io/v1/ingressclasses';
const INGRESSES = '/apis/networking.k8s.io/v1/namespaces/n/ingresses';

describe('networking.k8s.io kinds', () => {
  let t: TestServer;
  const post = (path: string, body: unknown) => t.request('POST', path, body);
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);
  const ingress = (
    name: string,
    extra: { annotations?: Record<string, string>; className?: string } = {},
  ) => ({
    metadata: { name, annotations: extra.annotations },
    spec: {
      ingressClassName: extra.className,
      defaultBackend: { service: { name: 's', port: { number: 443 } } },
    },
  });

  beforeAll(async () => {
    t = await startTestServer();
    await post('/api/v1/namespaces', { metadata: { name: 'n' } });
  });
  afterAll(() => t.stop());

  it('serves IngressClass cluster-scoped in networking.k8s.io/v1', async () => {
    const res = await t.request('GET', '/apis/networking.k8s.io/v1');
    const ic = res.body.resources.find((r: any) => r.name === 'ingressclasses');
    expect(ic).toMatchObject({
      kind: 'IngressClass',
      namespaced: false,
      singularName: 'ingressclass',
    });
    expect(
      res.body.resources.some((r: any) => r.name === 'ingressclasses/status'),
    ).toBe(false);
  });

  it('starts without an IngressClass, as a real API server does', async () => {
    const before = await t.request('GET', CLASSES);
    expect(before.body.items).toEqual([]);
    // what installing ingress-nginx adds; the later tests rely on it as the default class
    const installed = await post(CLASSES, {
      metadata: {
        name: 'nginx',
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    expect(installed.status).toBe(201);
    expect(installed.body.spec).toEqual({ controller: 'k8s.io/ingress-nginx' });
  });

  it('requires a domain-prefixed controller of at most 250 characters', async () => {
    const missing = await post(CLASSES, { metadata: { name: 'a' }, spec: {} });
    expect(missing.status).toBe(422);
    expect(causes(missing)).toEqual(['FieldValueRequired spec.controller']);
    const bare = await post(CLASSES, {
      metadata: { name: 'b' },
      spec: { controller: 'nginx' },
    });
    expect(bare.body.message).toBe(
      'IngressClass.networking.k8s.io "b" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    );
    const long = await post(CLASSES, {
      metadata: { name: 'c' },
      spec: { controller: `example.com/${'a'.repeat(239)}` },
    });
    expect(causes(long)).toEqual(['FieldValueTooLong spec.controller']);
    const fits = await post(CLASSES, {
      metadata: { name: 'c' },
      spec: { controller: `example.com/${'a'.repeat(238)}` },
    });
    expect(fits.status).toBe(201);
  });

  it('defaults the parameters scope and checks the reference', async () => {
    const ok = await post(CLASSES, {
      metadata: { name: 'params' },
      spec: {
        controller: 'example.com/lb',
        parameters: { apiGroup: 'k8s.example.com', kind: 'Cfg', name: 'x' },
      },
    });
    expect(ok.body.spec.parameters.scope).toBe('Cluster');
    const bad = await post(CLASSES, {
      metadata: { name: 'bad-params' },
      spec: {
        controller: 'example.com/lb',
        parameters: { kind: 'a/b', scope: 'Namespace' },
      },
    });
    expect(causes(bad)).toEqual([
      'FieldValueInvalid spec.parameters.kind',
      'FieldValueRequired spec.parameters.name',
      'FieldValueRequired spec.parameters.namespace',
    ]);
    const clusterWithNs = await post(CLASSES, {
      metadata: { name: 'bad-scope' },
      spec: {
        controller: 'example.com/lb',
        parameters: { kind: 'Cfg', name: 'x', namespace: 'n' },
      },
    });
    expect(causes(clusterWithNs)).toEqual([
      'FieldValueForbidden spec.parameters.namespace',
    ]);
    const unknownScope = await post(CLASSES, {
      metadata: { name: 'bad-scope' },
      spec: {
        controller: 'example.com/lb',
        parameters: { kind: 'Cfg', name: 'x', scope: 'Global' },
      },
    });
    expect(causes(unknownScope)).toEqual([
      'FieldValueNotSupported spec.parameters.scope',
    ]);
  });

  it('keeps the controller immutable and lets parameters change', async () => {
    const patch = (body: unknown) =>
      t.request('PATCH', `${CLASSES}/params`, body, {
        'Content-Type': 'application/merge-patch+json',
      });
    const moved = await patch({ spec: { controller: 'example.com/other' } });
    expect(moved.status).toBe(422);
    expect(moved.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.controller',
        message: 'Invalid value: "example.com/other": field is immutable',
      },
    ]);
    const reparam = await patch({ spec: { parameters: { name: 'y' } } });
    expect(reparam.status).toBe(200);
    expect(reparam.body.spec.parameters.name).toBe('y');
  });

  it('gives classless Ingresses the default class on create only', async () => {
    const created = await post(INGRESSES, ingress('plain'));
    expect(created.body.spec.ingressClassName).toBe('nginx');
    const legacy = await post(
      INGRESSES,
      ingress('legacy', {
        annotations: { 'kubernetes.io/ingress.class': 'nginx' },
      }),
    );
    expect(legacy.body.spec.ingressClassName).toBeUndefined();
    const cleared = await t.request(
      'PATCH',
      `${INGRESSES}/plain`,
      { spec: { ingressClassName: null } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body.spec.ingressClassName).toBeUndefined();
  });

  it('validates the class name of an Ingress and its agreement with the annotation', async () => {
    const badName = await post(
      INGRESSES,
      ingress('bad-name', { className: 'Nginx' }),
    );
    expect(causes(badName)).toEqual([
      'FieldValueInvalid spec.ingressClassName',
    ]);
    const disagree = await post(
      INGRESSES,
      ingress('disagree', {
        className: 'nginx',
        annotations: { 'kubernetes.io/ingress.class': 'traefik' },
      }),
    );
    expect(disagree.body.message).toBe(
      'Ingress.networking.k8s.io "disagree" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    );
    // only create checks the agreement: a stored Ingress may gain a differing annotation
    const annotated = await t.request(
      'PATCH',
      `${INGRESSES}/legacy`,
      { spec: { ingressClassName: 'traefik' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(annotated.status).toBe(200);
  });
});
