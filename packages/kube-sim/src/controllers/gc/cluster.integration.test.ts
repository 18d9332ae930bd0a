import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import type { ConfigMapLike } from './test-types';
import type {
  EndpointSlice,
  Namespace,
  Pod,
  ReplicaSet,
  Service,
} from '../kube/types';
import {
  markPodRunning,
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';

jest.setTimeout(90_000);

let h: ControllerHarness;
const NS = 'gct';
const CM = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
};

beforeAll(async () => {
  h = await startHarness('gct');
  await registerNode(h.rest, h.nodeName);
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: NS },
  });
});
afterAll(async () => h?.stop());

const exists = (fn: () => Promise<unknown>) =>
  fn().then(
    () => true,
    e => (isNotFound(e) ? false : Promise.reject(e)),
  );
const owner = (
  o: { metadata?: { name?: string; uid?: string } },
  kind = 'ConfigMap',
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'v1',
  kind,
  name: o.metadata?.name as string,
  uid: o.metadata?.uid as string,
  ...extra,
});

describe('garbage collector', () => {
  it('deletes dependents whose owners are all gone (background), and keeps those with a surviving owner', async () => {
    const a = await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'owner-a' },
    });
    const b = await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'owner-b' },
    });
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'dep-only-a', ownerReferences: [owner(a)] },
    });
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'dep-a-b', ownerReferences: [owner(a), owner(b)] },
    });
    await h.rest.delete(CM, NS, 'owner-a', { propagationPolicy: 'Background' });
    await waitFor(
      'dep-only-a collected',
      async () => !(await exists(() => h.rest.get(CM, NS, 'dep-only-a'))),
    );
    // The dependent with a live owner stays; its dangling reference is removed.
    const kept = await waitFor('dangling ref removed', async () => {
      const x = await h.rest.get<ConfigMapLike>(CM, NS, 'dep-a-b');
      return x.metadata?.ownerReferences?.length === 1 ? x : undefined;
    });
    expect(kept.metadata?.ownerReferences?.[0].uid).toBe(b.metadata?.uid);
  });

  it('deletes a dependent created with an owner uid that never existed', async () => {
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: {
        name: 'orphaned',
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'ghost',
            uid: '00000000-0000-0000-0000-000000000001',
          },
        ],
      },
    });
    await waitFor(
      'collected',
      async () => !(await exists(() => h.rest.get(CM, NS, 'orphaned'))),
    );
  });

  it('foreground deletion removes blocking dependents first, then the owner', async () => {
    const o = await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'fg-owner' },
    });
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: {
        name: 'fg-dep',
        ownerReferences: [owner(o, 'ConfigMap', { blockOwnerDeletion: true })],
      },
    });
    await h.rest.delete(CM, NS, 'fg-owner', {
      propagationPolicy: 'Foreground',
    });
    await waitFor(
      'owner gone',
      async () => !(await exists(() => h.rest.get(CM, NS, 'fg-owner'))),
    );
    expect(await exists(() => h.rest.get(CM, NS, 'fg-dep'))).toBe(false);
  });

  it('orphan deletion removes the owner reference from dependents and keeps them', async () => {
    const o = await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'or-owner' },
    });
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: { name: 'or-dep', ownerReferences: [owner(o)] },
    });
    await h.rest.delete(CM, NS, 'or-owner', { propagationPolicy: 'Orphan' });
    await waitFor(
      'owner gone',
      async () => !(await exists(() => h.rest.get(CM, NS, 'or-owner'))),
    );
    const dep = await h.rest.get<ConfigMapLike>(CM, NS, 'or-dep');
    expect(dep.metadata?.ownerReferences ?? []).toEqual([]);
  });

  it("collects a ReplicaSet's pods when the ReplicaSet is deleted", async () => {
    await h.rest.create<ReplicaSet>(R.replicasets, NS, {
      metadata: { name: 'rs' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'rs' } },
        template: {
          metadata: { labels: { app: 'rs' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    await waitFor(
      '2 pods',
      async () =>
        (await h.rest.list<Pod>(R.pods, NS, { labelSelector: 'app=rs' })).items
          .length === 2,
    );
    await h.rest.delete(R.replicasets, NS, 'rs');
    // Pods on a node are deleted gracefully: they get a deletionTimestamp (the kubelet would finish them).
    await waitFor('pods deleted', async () =>
      (
        await h.rest.list<Pod>(R.pods, NS, { labelSelector: 'app=rs' })
      ).items.every(p => p.metadata?.deletionTimestamp),
    );
  });
});

describe('EndpointSlice controller', () => {
  it('lists the selected pods, ready or not, resolving named ports; the slices go with the Service', async () => {
    await h.rest.create<Service>(R.services, NS, {
      metadata: { name: 'svc' },
      spec: {
        selector: { app: 'ep' },
        ports: [{ name: 'http', port: 80, targetPort: 'web' }],
      },
    });
    for (const name of ['ep-1', 'ep-2']) {
      await h.rest.create<Pod>(R.pods, NS, {
        metadata: { name, labels: { app: 'ep' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x',
              ports: [{ name: 'web', containerPort: 8080 }],
            },
          ],
        },
      });
    }
    await waitFor('scheduled', async () =>
      (
        await h.rest.list<Pod>(R.pods, NS, { labelSelector: 'app=ep' })
      ).items.every(p => p.spec?.nodeName),
    );
    await markPodRunning(h.rest, NS, 'ep-1', '127.77.2.1', true);
    await markPodRunning(h.rest, NS, 'ep-2', '127.77.2.2', false);
    const slicesOf = async () =>
      (
        await h.rest.list<EndpointSlice>(R.endpointslices, NS, {
          labelSelector: 'kubernetes.io/service-name=svc',
        })
      ).items;
    const readiness = (s: EndpointSlice[]) =>
      s.flatMap(x => x.endpoints ?? []).map(e => e.conditions?.ready);
    const [slice] = await waitFor('a slice, one endpoint ready', async () => {
      const s = await slicesOf();
      return s.length === 1 && JSON.stringify(readiness(s)) === '[true,false]'
        ? s
        : undefined;
    });
    expect(slice.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
    expect(slice.endpoints[0]).toMatchObject({
      addresses: ['127.77.2.1'],
      targetRef: { kind: 'Pod', name: 'ep-1' },
    });
    await markPodRunning(h.rest, NS, 'ep-2', '127.77.2.2', true);
    await waitFor(
      'both ready',
      async () => JSON.stringify(readiness(await slicesOf())) === '[true,true]',
    );
    // owned by the Service: the garbage collector removes them
    await h.rest.delete(R.services, NS, 'svc');
    await waitFor(
      'slices removed',
      async () => (await slicesOf()).length === 0,
    );
  });
});

describe('namespace lifecycle', () => {
  it('deletes everything in a terminating namespace, then finalizes it', async () => {
    await h.rest.create<Namespace>(R.namespaces, undefined, {
      metadata: { name: 'doomed' },
    });
    await h.rest.create<ConfigMapLike>(CM, 'doomed', {
      metadata: { name: 'cm' },
    });
    await h.rest.create<Service>(R.services, 'doomed', {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }] },
    });
    await h.rest.delete(R.namespaces, undefined, 'doomed');
    await waitFor(
      'namespace gone',
      async () =>
        !(await exists(() => h.rest.get(R.namespaces, undefined, 'doomed'))),
      30_000,
    );
    expect((await h.rest.list(CM, 'doomed')).items).toEqual([]);
  });
});

describe('garbage collector and custom resources', () => {
  it('discovers a new CRD and collects the dependents of its deleted objects', async () => {
    await h.rest.request(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      {
        body: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'widgets.example.com' },
          spec: {
            group: 'example.com',
            scope: 'Namespaced',
            names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    'x-kubernetes-preserve-unknown-fields': true,
                  },
                },
              },
            ],
          },
        },
      },
    );
    const WIDGETS = {
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      kind: 'Widget',
      namespaced: true,
    };
    const w = await waitFor('widget created', () =>
      h.rest.create<ConfigMapLike>(WIDGETS, NS, { metadata: { name: 'w1' } }),
    );
    await h.rest.create<ConfigMapLike>(CM, NS, {
      metadata: {
        name: 'w1-config',
        ownerReferences: [
          {
            apiVersion: 'example.com/v1',
            kind: 'Widget',
            name: 'w1',
            uid: w.metadata?.uid as string,
          },
        ],
      },
    });
    await new Promise(r => setTimeout(r, 300));
    expect(await exists(() => h.rest.get(CM, NS, 'w1-config'))).toBe(true);
    await h.rest.delete(WIDGETS, NS, 'w1');
    await waitFor(
      'dependent of the widget collected',
      async () => !(await exists(() => h.rest.get(CM, NS, 'w1-config'))),
      30_000,
    );
  });
});
