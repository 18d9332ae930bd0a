import type { Node, Pod } from '../kube/types';
import { fitErrorMessage, unfitReason } from './node-fit';

const node = (
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<NonNullable<Node['spec']>> = {},
  ready = true,
): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: extra,
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [], ...spec },
});

describe('unfitReason', () => {
  it('accepts a ready node and rejects a not-ready or cordoned one', () => {
    expect(unfitReason(pod(), node('n1'), [])).toBeUndefined();
    expect(unfitReason(pod(), node('n1', {}, {}, false), [])).toMatch(
      /not-ready/,
    );
    expect(
      unfitReason(pod(), node('n1', {}, { unschedulable: true }), []),
    ).toBe('node(s) were unschedulable');
  });

  it('respects nodeSelector, required node affinity (fields too) and taints', () => {
    expect(
      unfitReason(pod({ nodeSelector: { disk: 'ssd' } }), node('n1'), []),
    ).toMatch(/affinity\/selector/);
    expect(
      unfitReason(
        pod({ nodeSelector: { disk: 'ssd' } }),
        node('n1', { disk: 'ssd' }),
        [],
      ),
    ).toBeUndefined();
    const pinned = pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchFields: [
                  { key: 'metadata.name', operator: 'In', values: ['n2'] },
                ],
              },
            ],
          },
        },
      },
    });
    expect(unfitReason(pinned, node('n1'), [])).toMatch(/affinity/);
    expect(unfitReason(pinned, node('n2'), [])).toBeUndefined();
    const tainted = node(
      'n1',
      {},
      { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
    );
    expect(unfitReason(pod(), tainted, [])).toMatch(
      /untolerated taint \{dedicated: db\}/,
    );
    expect(
      unfitReason(
        pod({
          tolerations: [
            {
              key: 'dedicated',
              operator: 'Equal',
              value: 'db',
              effect: 'NoSchedule',
            },
          ],
        }),
        tainted,
        [],
      ),
    ).toBeUndefined();
  });

  it('rejects a node that a bound volume cannot reach', () => {
    const pv = {
      spec: {
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'kubernetes.io/hostname',
                    operator: 'In',
                    values: ['n2'],
                  },
                ],
              },
            ],
          },
        },
      },
    };
    expect(unfitReason(pod(), node('n1'), [pv])).toBe(
      'node(s) had volume node affinity conflict',
    );
  });

  it('summarises reasons like the scheduler', () => {
    expect(fitErrorMessage(3, ['b', 'a', 'b'])).toBe(
      '0/3 nodes are available: 1 a, 2 b.',
    );
  });
});
