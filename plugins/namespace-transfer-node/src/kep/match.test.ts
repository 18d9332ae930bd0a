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
});
