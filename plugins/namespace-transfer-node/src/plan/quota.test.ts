import type { V1LimitRange, V1ResourceQuota } from '@kubernetes/client-node';
import { quotaVerdict, type QuotaInput } from './quota';

const quota = (
  name: string,
  hard: Record<string, string>,
  used: Record<string, string> = {},
): V1ResourceQuota => ({
  metadata: { name },
  spec: { hard },
  status: { hard, used },
});
const limitRange = (
  name: string,
  limits: NonNullable<V1LimitRange['spec']>['limits'],
): V1LimitRange => ({
  metadata: { name },
  spec: { limits },
});

const GiB = 2 ** 30;
const copy = (o: Partial<QuotaInput> = {}): QuotaInput => ({
  mode: 'copy',
  source: { cluster: 'east', namespace: 'shop' },
  destination: {
    cluster: 'west',
    namespace: 'shop2',
    sizeBytes: 2 * GiB,
    storageClassName: 'fast',
  },
  containersPerPod: 2,
  ...o,
});

describe('quotaVerdict', () => {
  it('names the quota and the resource the destination claim does not fit', () => {
    const v = quotaVerdict(
      copy({
        facts: {
          destination: {
            quotas: [
              quota(
                'storage',
                { 'requests.storage': '10Gi', persistentvolumeclaims: '3' },
                { 'requests.storage': '9Gi', persistentvolumeclaims: '1' },
              ),
              quota(
                'classes',
                {
                  'fast.storageclass.storage.k8s.io/persistentvolumeclaims':
                    '1',
                },
                {
                  'fast.storageclass.storage.k8s.io/persistentvolumeclaims':
                    '1',
                },
              ),
            ],
            limitRanges: [],
          },
        },
      }),
    );
    expect(v.refusals).toEqual([
      'ResourceQuota west/shop2/storage: the destination claim would add requests.storage 2 GiB to the 9 GiB used of 10 GiB',
      'ResourceQuota west/shop2/classes: the destination claim would add fast.storageclass.storage.k8s.io/persistentvolumeclaims 1 to the 1 used of 1',
    ]);
  });

  it('charges both mover containers, the Secret, ConfigMap and Service, and demands limits a quota names', () => {
    const v = quotaVerdict(
      copy({
        facts: {
          destination: {
            quotas: [
              quota(
                'compute',
                {
                  'limits.cpu': '2',
                  'requests.memory': '200Mi',
                  services: '5',
                  pods: '1',
                },
                { pods: '1', services: '0' },
              ),
            ],
            limitRanges: [],
          },
          source: {
            quotas: [
              quota(
                'few',
                { secrets: '1', 'requests.cpu': '1' },
                { secrets: '1', 'requests.cpu': '0' },
              ),
            ],
            limitRanges: [],
          },
        },
      }),
    );
    expect(v.moverResources).toEqual({
      source: { requests: { cpu: '100m', memory: '128Mi' } },
      destination: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1' },
      },
    });
    expect(v.refusals).toEqual([
      'ResourceQuota west/shop2/compute: the mover server pod would add requests.memory 256 MiB to the 0 B used of 200 MiB',
      'ResourceQuota west/shop2/compute: the mover server pod would add pods 1 to the 1 used of 1',
      "ResourceQuota east/shop/few: the client's Secret and ConfigMap would add secrets 1 to the 1 used of 1",
    ]);
  });

  it("keeps a demanded limit within a LimitRange's maximum per container", () => {
    const v = quotaVerdict(
      copy({
        facts: {
          destination: {
            quotas: [
              quota('compute', { 'limits.cpu': '4' }, { 'limits.cpu': '0' }),
            ],
            limitRanges: [
              limitRange('small', [
                {
                  type: 'Container',
                  max: { cpu: '500m' },
                  _default: { cpu: '500m' },
                },
              ]),
            ],
          },
        },
      }),
    );
    expect(v.refusals).toEqual([]);
    expect(v.moverResources?.destination.limits).toEqual({ cpu: '500m' });
  });

  it('charges the node port and load balancer of the exposed Service', () => {
    const exposed = (endpoint: QuotaInput['endpoint']) =>
      quotaVerdict(
        copy({
          endpoint,
          facts: {
            destination: {
              quotas: [
                quota(
                  'svc',
                  { 'services.nodeports': '0', 'services.loadbalancers': '0' },
                  { 'services.nodeports': '0', 'services.loadbalancers': '0' },
                ),
              ],
              limitRanges: [],
            },
          },
        }),
      ).refusals;
    const by = 'its Secret, ConfigMap and Service would add';
    expect(exposed('clusterip')).toEqual([]);
    expect(exposed('nodeport')).toEqual([
      `ResourceQuota west/shop2/svc: ${by} services.nodeports 1 to the 0 used of 0`,
    ]);
    expect(exposed('loadbalancer')).toEqual([
      `ResourceQuota west/shop2/svc: ${by} services.nodeports 1 to the 0 used of 0`,
      `ResourceQuota west/shop2/svc: ${by} services.loadbalancers 1 to the 0 used of 0`,
    ]);
  });

  it("fits when there is room, with the operator's limits, and counts one namespace once for both sides", () => {
    const v = quotaVerdict(
      copy({
        source: { cluster: 'west', namespace: 'shop2' },
        facts: {
          destination: {
            quotas: [
              quota(
                'compute',
                { 'limits.cpu': '1', pods: '2', 'requests.storage': '2Gi' },
                { 'limits.cpu': '0', pods: '0', 'requests.storage': '0' },
              ),
            ],
            limitRanges: [],
          },
          moverResources: { limits: { cpu: '250m' } },
        },
      }),
    );
    // 2 pods x 2 containers x 250m = 1 core: fits exactly
    expect(v.refusals).toEqual([]);
    expect(v.moverResources?.source).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '250m' },
    });
  });

  it('refuses what a LimitRange would, counting the limits its defaults add', () => {
    const v = quotaVerdict(
      copy({
        facts: {
          destination: {
            quotas: [],
            limitRanges: [
              limitRange('sizes', [
                { type: 'PersistentVolumeClaim', max: { storage: '1Gi' } },
                {
                  type: 'Container',
                  min: { cpu: '200m' },
                  _default: { memory: '768Mi' },
                },
                { type: 'Pod', max: { memory: '1Gi' } },
              ]),
            ],
          },
        },
      }),
    );
    expect(v.refusals).toEqual([
      'LimitRange west/shop2/sizes: each container of the mover server pod would ask for cpu 100m, below the minimum per Container of 200m (the mover resources are set by nstransfer --mover-* or namespaceTransfer.mover.resources)',
      'LimitRange west/shop2/sizes: the mover server pod would have memory 1.5 GiB, above the maximum per Pod of 1 GiB (the mover resources are set by nstransfer --mover-* or namespaceTransfer.mover.resources)',
      "LimitRange west/shop2/sizes: the destination claim's 2 GiB is above the maximum storage per PersistentVolumeClaim of 1 GiB",
    ]);
  });

  it('charges a rebind only the destination claim, and nothing within one namespace; unreadable is a warning', () => {
    const full = {
      quotas: [
        quota(
          'q',
          { persistentvolumeclaims: '1', pods: '0' },
          { persistentvolumeclaims: '1', pods: '0' },
        ),
      ],
      limitRanges: [],
    };
    const rebind = (namespace: string) =>
      quotaVerdict(
        copy({
          mode: 'rebind',
          source: { cluster: 'west', namespace: 'shop' },
          destination: { cluster: 'west', namespace, sizeBytes: GiB },
          facts: { destination: full, source: { unreadable: 'not allowed' } },
        }),
      );
    expect(rebind('shop2').refusals).toEqual([
      'ResourceQuota west/shop2/q: the destination claim would add persistentvolumeclaims 1 to the 1 used of 1',
    ]);
    expect(rebind('shop2').moverResources).toBeUndefined();
    expect(rebind('shop').refusals).toEqual([]);
    expect(rebind('shop').warnings).toEqual(['not allowed']);
  });
});
