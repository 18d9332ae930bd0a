import type {
  V1IngressClass,
  V1Node,
  V1Service,
} from '@kubernetes/client-node';
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

const NOW = Date.parse('2024-05-01T10:00:00Z');
const lbService = (
  name: string,
  minutesAgo: number,
  ip?: string,
): V1Service => ({
  metadata: {
    namespace: 'shop',
    name,
    creationTimestamp: new Date(NOW - minutesAgo * 60_000),
  },
  spec: { type: 'LoadBalancer' },
  status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} },
});

function reads(
  nodes: V1Node[] | undefined,
  classes: V1IngressClass[] | undefined,
  /** pages of Services as the API server would hand them out */
  servicePages?: V1Service[][],
) {
  const calls: string[] = [];
  const r: ExposureReads = {
    loadBalancerServices: async enough => {
      calls.push('services');
      if (!servicePages) return undefined;
      const read: V1Service[] = [];
      for (const page of servicePages) {
        calls.push('services page');
        read.push(...page);
        if (enough(read)) break;
      }
      return read;
    },
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
      [spec(), { ...base, loadBalancerAvailable: true }],
      [
        spec({ endpoint: 'loadbalancer' }),
        { ...base, loadBalancerAvailable: true },
      ],
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

  const lbFacts = { ...base, loadBalancerAvailable: undefined };
  const opts = { now: () => NOW, loadBalancerGraceMs: 5 * 60_000 };

  it('an explicit loadbalancer with none configured reads the Services: an address settles it and stops the paging', async () => {
    const served = reads(undefined, undefined, [
      [lbService('pending', 60)],
      [lbService('web', 1, '10.0.0.7')],
      [lbService('never-read', 90)],
    ]);
    expect(
      await withExposureFacts(
        spec({ endpoint: 'loadbalancer' }),
        lbFacts,
        served.r,
        opts,
      ),
    ).toMatchObject({
      loadBalancerAvailable: true,
      loadBalancerEvidence:
        'Service shop/web has the load balancer address 10.0.0.7',
    });
    expect(served.calls).toEqual([
      'services',
      'services page',
      'services page',
    ]);
  });

  it('a pending LoadBalancer Service older than the grace period refutes the load balancer; auto moves on to the ingress', async () => {
    const pending = reads(
      [readyNode('10.0.0.1')],
      [nginx],
      [[lbService('young', 1), lbService('stuck', 30)]],
    );
    const facts = await withExposureFacts(spec(), lbFacts, pending.r, opts);
    expect(facts).toMatchObject({
      loadBalancerAvailable: false,
      loadBalancerEvidence:
        'Service shop/stuck has waited for a load balancer address since 2024-05-01T09:30:00.000Z',
      ingressClasses: [nginx],
    });
    expect(pending.calls).toEqual([
      'services',
      'services page',
      'ingressClasses',
    ]);
  });

  it('no LoadBalancer Service, only young pending ones, or an unreadable list: unknown, and the choice stays', async () => {
    for (const pages of [[[]], [[lbService('young', 1)]], undefined]) {
      const unknown = reads([readyNode('10.0.0.1')], [nginx], pages);
      const facts = await withExposureFacts(spec(), lbFacts, unknown.r, opts);
      expect(facts.loadBalancerAvailable).toBeUndefined();
      expect(unknown.calls.filter(c => c === 'services')).toEqual(['services']);
      expect(unknown.calls).not.toContain('ingressClasses');
    }
  });

  it('waits five minutes by default before a pending Service counts', async () => {
    const fourMinutes = reads(undefined, undefined, [[lbService('p', 4)]]);
    expect(
      (
        await withExposureFacts(spec(), lbFacts, fourMinutes.r, {
          now: () => NOW,
        })
      ).loadBalancerAvailable,
    ).toBeUndefined();
    const sixMinutes = reads(
      [readyNode('10.0.0.1')],
      [nginx],
      [[lbService('p', 6)]],
    );
    expect(
      (
        await withExposureFacts(spec(), lbFacts, sixMinutes.r, {
          now: () => NOW,
        })
      ).loadBalancerAvailable,
    ).toBe(false);
  });
});
