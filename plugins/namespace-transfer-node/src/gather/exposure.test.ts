import type { V1IngressClass, V1Node } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { EndpointFacts } from '../endpoint';
import { withExposureFacts, type ExposureReads } from './exposure';

const spec = (
  options: TransferSpec['options'] = {},
  mode: TransferSpec['mode'] = 'copy',
): TransferSpec => ({
  id: 't1',
  source: { cluster: 'east', namespace: 'a', name: 'v' },
  destination: { cluster: 'west', namespace: 'b', name: 'v' },
  mode,
  intent: 'clone',
  options,
});

const base: EndpointFacts = {
  sameCluster: false,
  cluster: 'west',
  routeApiServed: false,
  ingressConfigured: true,
  loadBalancerAvailable: false,
};

const readyNode = (address?: string): V1Node => ({
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: address ? [{ type: 'InternalIP', address }] : [],
  },
});
const nginx: V1IngressClass = {
  metadata: {
    name: 'nginx',
    annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
  },
  spec: { controller: 'k8s.io/ingress-nginx' },
};

function reads(
  nodes: V1Node[] | undefined,
  classes: V1IngressClass[] | undefined,
) {
  const calls: string[] = [];
  const r: ExposureReads = {
    nodes: async () => {
      calls.push('nodes');
      return nodes;
    },
    ingressClasses: async () => {
      calls.push('ingressClasses');
      return classes;
    },
  };
  return { r, calls };
}

describe('withExposureFacts', () => {
  it('reads nothing when the choice does not depend on nodes or ingress classes', async () => {
    for (const [s, facts] of [
      [spec({}, 'rebind'), base],
      [spec({ endpoint: 'loadbalancer' }), base],
      [spec(), { ...base, sameCluster: true }],
      [spec(), { ...base, loadBalancerAvailable: undefined }],
      [spec({ endpoint: 'ingress' }), { ...base, ingressConfigured: false }],
    ] as const) {
      const { r, calls } = reads([readyNode('10.0.0.1')], [nginx]);
      expect(await withExposureFacts(s, facts, r)).toEqual(facts);
      expect(calls).toEqual([]);
    }
  });

  it('an explicit nodeport reads the nodes: reachable only with a Ready node that has an address', async () => {
    const withAddress = reads([readyNode('10.0.0.1')], undefined);
    expect(
      await withExposureFacts(
        spec({ endpoint: 'nodeport' }),
        base,
        withAddress.r,
      ),
    ).toMatchObject({ nodePortReachable: true });
    expect(withAddress.calls).toEqual(['nodes']);
    const without = reads([readyNode()], undefined);
    expect(
      await withExposureFacts(spec({ endpoint: 'nodeport' }), base, without.r),
    ).toMatchObject({ nodePortReachable: false });
    const unknown = reads(undefined, undefined);
    expect(
      (await withExposureFacts(spec({ endpoint: 'nodeport' }), base, unknown.r))
        .nodePortReachable,
    ).toBeUndefined();
  });

  it('auto reads the ingress classes, and the nodes only once the ingress is known not to work', async () => {
    const works = reads([readyNode('10.0.0.1')], [nginx]);
    expect(await withExposureFacts(spec(), base, works.r)).toMatchObject({
      ingressClasses: [nginx],
    });
    expect(works.calls).toEqual(['ingressClasses']);
    const missing = reads([readyNode('10.0.0.1')], [nginx]);
    expect(
      await withExposureFacts(
        spec({ ingressClassName: 'missing' }),
        { ...base, ingressClassName: 'missing' },
        missing.r,
      ),
    ).toMatchObject({ ingressClasses: [nginx], nodePortReachable: true });
    expect(missing.calls).toEqual(['ingressClasses', 'nodes']);
  });
});
