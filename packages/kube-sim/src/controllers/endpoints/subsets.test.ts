import type { Pod, Service } from '../kube/types';
import { computeSubsets } from './subsets';

const pod = (
  name: string,
  ip: string | undefined,
  ready: boolean,
  ports: Array<{ name: string; containerPort: number }> = [],
): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}` },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports }] },
  status: {
    phase: 'Running',
    podIP: ip,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

const svc = (
  ports: NonNullable<Service['spec']>['ports'],
  publishNotReadyAddresses = false,
): Service => ({
  metadata: { name: 's', namespace: 'ns' },
  spec: { selector: { app: 'x' }, ports, publishNotReadyAddresses },
});

describe('computeSubsets', () => {
  it('splits ready and not-ready pods and resolves numeric target ports', () => {
    const subsets = computeSubsets(
      svc([{ name: 'http', port: 80, targetPort: 8080 }]),
      [
        pod('b', '127.1.1.3', true),
        pod('a', '127.1.1.2', false),
        pod('no-ip', undefined, true),
      ],
    );
    expect(subsets).toHaveLength(1);
    expect(subsets[0].ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
    expect(subsets[0].addresses?.map(a => a.ip)).toEqual(['127.1.1.3']);
    expect(subsets[0].notReadyAddresses?.map(a => a.ip)).toEqual(['127.1.1.2']);
    expect(subsets[0].addresses?.[0].targetRef).toMatchObject({
      kind: 'Pod',
      name: 'b',
      uid: 'uid-b',
    });
  });

  it('resolves named target ports per pod and groups pods by port set', () => {
    const subsets = computeSubsets(
      svc([{ name: 'web', port: 80, targetPort: 'web' }]),
      [
        pod('a', '127.1.1.2', true, [{ name: 'web', containerPort: 8080 }]),
        pod('b', '127.1.1.3', true, [{ name: 'web', containerPort: 9090 }]),
        pod('c', '127.1.1.4', true, [{ name: 'other', containerPort: 1 }]),
      ],
    );
    expect(
      subsets.map(s => [s.ports?.[0].port, s.addresses?.map(a => a.ip)]),
    ).toEqual([
      [8080, ['127.1.1.2']],
      [9090, ['127.1.1.3']],
    ]);
  });

  it('publishes not-ready pods as ready when asked and skips terminating ones', () => {
    const terminating = {
      ...pod('t', '127.1.1.9', true),
      metadata: { name: 't', deletionTimestamp: '2024-01-01T00:00:00Z' },
    };
    const subsets = computeSubsets(svc([{ port: 80 }], true), [
      pod('a', '127.1.1.2', false),
    ]);
    expect(subsets[0].addresses?.map(a => a.ip)).toEqual(['127.1.1.2']);
    expect(computeSubsets(svc([{ port: 80 }]), [terminating])).toEqual([]);
  });
});
