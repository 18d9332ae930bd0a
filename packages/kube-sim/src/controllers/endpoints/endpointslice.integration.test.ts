import { R } from '../kube/resources';
import type { EndpointSlice, Namespace, Pod, Service } from '../kube/types';
import {
  markPodRunning,
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';

jest.setTimeout(90_000);

let h: ControllerHarness;

beforeAll(async () => {
  h = await startHarness('eps');
  await registerNode(h.rest, h.nodeName);
  await h.rest.create<Namespace>(R.namespaces, undefined, {
    metadata: { name: 'apps' },
  });
});

afterAll(async () => h?.stop());

const slicesOf = async (service: string) =>
  (
    await h.rest.list<EndpointSlice>(R.endpointslices, 'apps', {
      labelSelector: `kubernetes.io/service-name=${service}`,
    })
  ).items;

const createPod = (name: string, labels: Record<string, string>) =>
  h.rest.create<Pod>(R.pods, 'apps', {
    metadata: { name, labels },
    spec: {
      nodeName: h.nodeName,
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'c',
          image: 'x',
          ports: [{ name: 'web', containerPort: 8080 }],
        },
      ],
    },
  });

describe('EndpointSlice controller', () => {
  it('writes an owned slice per Service with the selected pods, follows readiness, and no Endpoints', async () => {
    const svc = await h.rest.create<Service>(R.services, 'apps', {
      metadata: { name: 'web', labels: { tier: 'front' } },
      spec: {
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'web' }],
      },
    });
    await createPod('web-1', { app: 'web' });
    await markPodRunning(h.rest, 'apps', 'web-1', '127.9.1.2', false);
    const [slice] = await waitFor(
      'a slice with the pod, not ready',
      async () => {
        const s = await slicesOf('web');
        return s[0]?.endpoints?.[0]?.conditions?.ready === false && s;
      },
    );
    expect(slice.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata?.labels).toEqual({
      tier: 'front',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by':
        'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Service',
        uid: svc.metadata?.uid,
        controller: true,
      }),
    ]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
    expect(slice.endpoints[0]).toMatchObject({
      addresses: ['127.9.1.2'],
      targetRef: { kind: 'Pod', name: 'web-1', namespace: 'apps' },
    });

    await markPodRunning(h.rest, 'apps', 'web-1', '127.9.1.2', true);
    await waitFor('the endpoint ready', async () => {
      const s = await slicesOf('web');
      return s.length === 1 && s[0].endpoints?.[0]?.conditions?.ready === true;
    });
    // the controller writes no core Endpoints: loopback pod addresses are refused there
    await expect(h.rest.get(R.endpoints, 'apps', 'web')).rejects.toMatchObject({
      code: 404,
    });
  });

  it('puts back a slice someone deletes, and leaves a Service without a selector to its users', async () => {
    const [slice] = await slicesOf('web');
    await h.rest.delete(R.endpointslices, 'apps', slice.metadata!.name!);
    await waitFor('a new slice', async () => {
      const s = await slicesOf('web');
      return (
        s.length === 1 && s[0].metadata?.name !== slice.metadata?.name && s
      );
    });
    await h.rest.create<Service>(R.services, 'apps', {
      metadata: { name: 'external' },
      spec: { ports: [{ port: 80 }] },
    });
    const mine = await h.rest.create<EndpointSlice>(R.endpointslices, 'apps', {
      metadata: {
        name: 'external-1',
        labels: { 'kubernetes.io/service-name': 'external' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.9.1.9'] }],
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
    });
    // a change to the web Service is handled after the external one's: then the latter was seen
    await h.rest.patch(R.services, 'apps', 'web', {
      metadata: { labels: { tier: 'back' } },
    });
    await waitFor(
      'web slice relabelled',
      async () => (await slicesOf('web'))[0]?.metadata?.labels?.tier === 'back',
    );
    expect(
      (await slicesOf('external')).map(s => s.metadata?.resourceVersion),
    ).toEqual([mine.metadata?.resourceVersion]);
  });
});
