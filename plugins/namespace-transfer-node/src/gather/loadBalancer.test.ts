import type { V1Service } from '@kubernetes/client-node';
import { loadBalancerFinding } from './loadBalancer';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const MIN = 60_000;

const lb = (
  name: string,
  createdAt: number,
  patch: { ip?: string; hostname?: string; cls?: string; type?: string } = {},
): V1Service => ({
  metadata: {
    namespace: 'ns',
    name,
    creationTimestamp: new Date(createdAt),
  },
  spec: {
    type: patch.type ?? 'LoadBalancer',
    ...(patch.cls ? { loadBalancerClass: patch.cls } : {}),
  },
  status: {
    loadBalancer:
      patch.ip || patch.hostname
        ? { ingress: [{ ip: patch.ip, hostname: patch.hostname }] }
        : {},
  },
});

describe('loadBalancerFinding', () => {
  it('an address on any default-class LoadBalancer Service: available', () => {
    expect(
      loadBalancerFinding(
        [lb('old', T0 - 60 * MIN), lb('web', T0, { hostname: 'a.elb.test' })],
        T0,
        5 * MIN,
      ),
    ).toEqual({
      available: true,
      evidence: 'Service ns/web has the load balancer address a.elb.test',
    });
    expect(
      loadBalancerFinding([lb('web', T0, { ip: '10.1.2.3' })], T0, 5 * MIN),
    ).toMatchObject({ available: true });
  });

  it('none with an address and the oldest past the grace period: not available, naming it and since when', () => {
    expect(
      loadBalancerFinding(
        [
          lb('young', T0 - MIN),
          lb('old', T0 - 10 * MIN),
          lb('mid', T0 - 6 * MIN),
        ],
        T0,
        5 * MIN,
      ),
    ).toEqual({
      available: false,
      evidence:
        'Service ns/old has waited for a load balancer address since 2024-05-01T09:50:00.000Z',
    });
    // grace 0: any pending one counts
    expect(loadBalancerFinding([lb('now', T0)], T0, 0)).toMatchObject({
      available: false,
    });
  });

  it('unknown: no LoadBalancer Service, or all pending ones younger than the grace period', () => {
    expect(loadBalancerFinding([], T0, 0)).toEqual({});
    expect(
      loadBalancerFinding([lb('young', T0 - 4 * MIN)], T0, 5 * MIN),
    ).toEqual({});
    expect(
      loadBalancerFinding(
        [lb('plain', T0 - 60 * MIN, { type: 'ClusterIP' })],
        T0,
        0,
      ),
    ).toEqual({});
  });

  it('ignores Services of another loadBalancerClass, whose controller is not the one the engine gets', () => {
    // a classed Service served by its own controller does not show a default one
    expect(
      loadBalancerFinding(
        [lb('internal', T0, { ip: '10.0.0.9', cls: 'example.com/internal' })],
        T0,
        0,
      ),
    ).toEqual({});
    // nor does one that nobody serves show there is none
    expect(
      loadBalancerFinding(
        [lb('orphan', T0 - 60 * MIN, { cls: 'example.com/none' })],
        T0,
        5 * MIN,
      ),
    ).toEqual({});
  });
});
