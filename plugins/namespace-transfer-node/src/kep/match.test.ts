import { matchApproval } from './match';
import type {
  NamespaceTransferApproval,
  NamespaceTransferRequest,
} from './types';

const request: NamespaceTransferRequest = {
  apiVersion: 'transfer.namespace-transfer.io/v1alpha1',
  kind: 'NamespaceTransferRequest',
  metadata: { name: 'get-data', namespace: 'team-b' },
  spec: {
    source: {
      name: 'data',
      namespace: 'team-a',
      kind: 'PersistentVolumeClaim',
    },
  },
};
const approval = (
  name: string,
  spec: { targetNamespace?: string; kind?: string; source?: string } = {},
  namespace = 'team-a',
): NamespaceTransferApproval => ({
  apiVersion: 'transfer.namespace-transfer.io/v1alpha1',
  kind: 'NamespaceTransferApproval',
  metadata: { name, namespace },
  spec: {
    source: {
      name: spec.source ?? 'data',
      kind: spec.kind ?? 'PersistentVolumeClaim',
    },
    targetNamespace: spec.targetNamespace ?? 'team-b',
  },
});

describe('matchApproval', () => {
  it('approves on same source name and kind, PVC kind, target namespace = the request namespace', () => {
    expect(matchApproval(request, [approval('ok')])).toMatchObject({
      state: 'approved',
      approval: { metadata: { name: 'ok' } },
    });
  });

  it('waits without an approval for this claim (others do not count, nor one in another namespace)', () => {
    expect(matchApproval(request, [])).toEqual({ state: 'waiting' });
    expect(
      matchApproval(request, [approval('other', { source: 'logs' })]),
    ).toEqual({ state: 'waiting' });
    expect(
      matchApproval(request, [approval('elsewhere', {}, 'team-c')]),
    ).toEqual({ state: 'waiting' });
  });

  it('reports why an approval for the same claim does not match', () => {
    const m = matchApproval(request, [
      approval('wrong-ns', { targetNamespace: 'team-z' }),
      approval('wrong-kind', { kind: 'Secret' }),
    ]);
    expect(m.state).toBe('mismatch');
    const message = (m as { message: string }).message;
    expect(message).toContain(
      'approval team-a/wrong-ns does not match: it approves namespace team-z, not team-b',
    );
    expect(message).toContain(
      'approval team-a/wrong-kind does not match: its kind is Secret',
    );
    expect(message).toContain('only PersistentVolumeClaim');
  });

  it('one matching approval is enough even beside a wrong one', () => {
    expect(
      matchApproval(request, [
        approval('wrong', { targetNamespace: 'x' }),
        approval('ok'),
      ]).state,
    ).toBe('approved');
  });

  it('skips an approval another request used up, and says so; the request that used it still matches', () => {
    const used = (matchedRequest: {
      namespace: string;
      name: string;
      uid?: string;
    }): NamespaceTransferApproval => ({
      ...approval('once'),
      status: { phase: 'Used', matchedRequest },
    });
    const mine = { ...request, metadata: { ...request.metadata, uid: 'u1' } };
    const byOther = used({ namespace: 'team-b', name: 'earlier', uid: 'u0' });
    const m = matchApproval(mine, [byOther]);
    expect(m).toEqual({
      state: 'mismatch',
      message:
        'approval team-a/once does not match: it was used already by NamespaceTransferRequest team-b/earlier: a new transfer needs a new approval',
    });
    // the same name made again is another request: its uid decides
    expect(
      matchApproval(mine, [
        used({ namespace: 'team-b', name: 'get-data', uid: 'u0' }),
      ]).state,
    ).toBe('mismatch');
    expect(
      matchApproval(mine, [
        used({ namespace: 'team-b', name: 'get-data', uid: 'u1' }),
      ]).state,
    ).toBe('approved');
    // without uids, by namespace and name
    expect(
      matchApproval(request, [used({ namespace: 'team-b', name: 'get-data' })])
        .state,
    ).toBe('approved');
    // Matched (not Used) by another request still approves: that request may have failed
    expect(
      matchApproval(mine, [
        {
          ...approval('matched'),
          status: {
            phase: 'Matched',
            matchedRequest: { namespace: 'team-b', name: 'earlier' },
          },
        },
      ]).state,
    ).toBe('approved');
  });
});
