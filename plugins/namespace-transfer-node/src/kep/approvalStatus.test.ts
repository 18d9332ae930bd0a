import { matchedStatus } from './approvalStatus';
import type { NamespaceTransferRequest } from './types';

const request = (phase?: string): NamespaceTransferRequest => ({
  apiVersion: 'transfer.namespace-transfer.io/v1alpha1',
  kind: 'NamespaceTransferRequest',
  metadata: { namespace: 'team-b', name: 'want', uid: 'u-1' },
  spec: {
    source: {
      namespace: 'team-a',
      name: 'data',
      kind: 'PersistentVolumeClaim',
    },
  },
  status: phase ? { phase: phase as never } : undefined,
});

describe('matchedStatus', () => {
  it('names the request and is Matched while it runs, Used once it succeeded', () => {
    const matched = matchedStatus({}, request('Rebinding'), 't1');
    expect(matched).toEqual({
      phase: 'Matched',
      message: 'approves NamespaceTransferRequest team-b/want',
      matchedRequest: { namespace: 'team-b', name: 'want', uid: 'u-1' },
      conditions: [
        {
          type: 'Matched',
          status: 'True',
          reason: 'RequestMatched',
          message: 'approves NamespaceTransferRequest team-b/want',
          lastTransitionTime: 't1',
        },
      ],
    });
    const used = matchedStatus(matched, request('Succeeded'), 't2');
    expect(used).toMatchObject({
      phase: 'Used',
      message: 'used by NamespaceTransferRequest team-b/want',
    });
    // the condition's status stayed True: its transition time stays
    expect(used.conditions?.[0]).toMatchObject({
      reason: 'Used',
      lastTransitionTime: 't1',
    });
  });

  it('stays Matched for a failed request (the consent still stands)', () => {
    expect(matchedStatus({}, request('Failed')).phase).toBe('Matched');
  });
});
