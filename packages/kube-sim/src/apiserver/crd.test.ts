/** CustomResourceDefinitions served at once: CRUD, watch, status and scale subresources, schema validation. */
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { startTestServer, type TestServer } from './testutil';

// Written with @kubernetes/client-node's property names (_default, x_kubernetes_...), which it serializes
// to the wire names (default, x-kubernetes-...).
const crd = {
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      shortNames: ['wg'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
          },
        },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1 },
                  mode: {
                    type: 'string',
                    _enum: ['fast', 'safe'],
                    _default: 'safe',
                  },
                  replicas: { type: 'integer' },
                  extra: {
                    type: 'object',
                    x_kubernetes_preserve_unknown_fields: true,
                  },
                },
              },
              status: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer' },
                  phase: { type: 'string' },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('CRDs', () => {
  let t: TestServer;
  let custom: CustomObjectsApi;
  const ref = {
    group: 'example.com',
    version: 'v1',
    namespace: 'default',
    plural: 'widgets',
  };

  beforeAll(async () => {
    t = await startTestServer();
    custom = t.kubeConfig().makeApiClient(CustomObjectsApi);
  });
  afterAll(() => t.stop());

  it('establishes a CRD and serves its resources in discovery', async () => {
    const ext = t.kubeConfig().makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({ body: crd as any });
    const got = await ext.readCustomResourceDefinition({
      name: 'widgets.example.com',
    });
    expect(
      got.status!.conditions!.find(c => c.type === 'Established')!.status,
    ).toBe('True');
    const disc = await t.request('GET', '/apis/example.com/v1');
    expect(disc.body.resources.map((r: any) => r.name)).toEqual([
      'widgets',
      'widgets/status',
      'widgets/scale',
    ]);
    const groups = await t.request('GET', '/apis');
    expect(groups.body.groups.map((g: any) => g.name)).toContain('example.com');
  });

  it('creates, defaults, prunes, validates and updates custom objects', async () => {
    const created: any = await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 2, unknown: 'x', extra: { free: true } },
        status: { phase: 'Hacked' },
      },
    });
    expect(created.spec).toEqual({
      size: 2,
      mode: 'safe',
      extra: { free: true },
    });
    expect(created.status).toBeUndefined();
    expect(created.metadata.generation).toBe(1);
    const invalid = await t.request(
      'POST',
      '/apis/example.com/v1/namespaces/default/widgets',
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'bad' },
        spec: { size: 'big', mode: 'slow' },
      },
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body.message).toMatch(
      /^Widget\.example\.com "bad" is invalid: /,
    );
    expect(invalid.body.details.causes.map((c: any) => c.field)).toEqual([
      'spec.size',
      'spec.mode',
    ]);
    const strict = await t.request(
      'POST',
      '/apis/example.com/v1/namespaces/default/widgets?fieldValidation=Strict',
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'strict' },
        spec: { size: 1, bogus: true },
      },
    );
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(
      'strict decoding error: unknown field "spec.bogus"',
    );
    const missing = await t.request(
      'POST',
      '/apis/example.com/v1/namespaces/default/widgets',
      { metadata: { name: 'nokind' }, spec: { size: 1 } },
    );
    expect(missing.status).toBe(400);

    const st: any = await custom.patchNamespacedCustomObjectStatus(
      {
        ...ref,
        name: 'w1',
        body: { status: { phase: 'Ready', replicas: 1 }, spec: { size: 99 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(st.status.phase).toBe('Ready');
    expect(st.spec.size).toBe(2);
    const sm = await t.request(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/w1',
      { spec: { size: 3 } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    expect(sm.status).toBe(415);
    const scaled: any = await custom.patchNamespacedCustomObjectScale(
      { ...ref, name: 'w1', body: { spec: { replicas: 5 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.spec.replicas).toBe(5);
    const w: any = await custom.getNamespacedCustomObject({
      ...ref,
      name: 'w1',
    });
    expect(w.spec.replicas).toBe(5);
    expect(w.metadata.generation).toBe(2);
  });

  it('serves several versions from one storage version', async () => {
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: { type: 'object', properties: { n: { type: 'integer' } } },
        },
      },
    };
    const ext = t.kubeConfig().makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Cluster',
          names: { plural: 'gadgets', kind: 'Gadget' },
          versions: [
            { name: 'v1alpha1', served: true, storage: false, schema },
            { name: 'v1', served: true, storage: true, schema },
          ],
        },
      } as any,
    });
    const created: any = await custom.createClusterCustomObject({
      group: 'example.com',
      version: 'v1alpha1',
      plural: 'gadgets',
      body: {
        apiVersion: 'example.com/v1alpha1',
        kind: 'Gadget',
        metadata: { name: 'g' },
        spec: { n: 1 },
      },
    });
    expect(created.apiVersion).toBe('example.com/v1alpha1');
    const asV1: any = await custom.getClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'gadgets',
      name: 'g',
    });
    expect(asV1.apiVersion).toBe('example.com/v1');
    const patched: any = await custom.patchClusterCustomObject(
      {
        group: 'example.com',
        version: 'v1alpha1',
        plural: 'gadgets',
        name: 'g',
        body: { spec: { n: 2 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched).toMatchObject({
      apiVersion: 'example.com/v1alpha1',
      spec: { n: 2 },
    });
    const list: any = await custom.listClusterCustomObject({
      group: 'example.com',
      version: 'v1alpha1',
      plural: 'gadgets',
    });
    expect(list.items[0].apiVersion).toBe('example.com/v1alpha1');
  });

  it('watches custom objects and removes them with their CRD', async () => {
    const seen: string[] = [];
    const closed = new Promise<void>(resolve => {
      void new Watch(t.kubeConfig()).watch(
        '/apis/example.com/v1/namespaces/default/widgets',
        {},
        (type, obj) => seen.push(`${type}:${obj.metadata.name}`),
        () => resolve(),
      );
    });
    await new Promise(r => setTimeout(r, 100));
    await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w2' },
        spec: { size: 1 },
      },
    });
    await new Promise(r => setTimeout(r, 100));
    expect(seen).toEqual(['ADDED:w1', 'ADDED:w2']);
    const list: any = await custom.listNamespacedCustomObject(ref);
    expect(list.items.map((i: any) => i.kind)).toEqual(['Widget', 'Widget']);

    await t
      .kubeConfig()
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    await closed;
    expect(
      (
        await t.request(
          'GET',
          '/apis/example.com/v1/namespaces/default/widgets',
        )
      ).status,
    ).toBe(404);
  });
});
