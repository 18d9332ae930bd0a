import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { pickDestinationClaim } from './destination';
import type { NamespaceTransferRequest } from './types';

const request = (targetName?: string): NamespaceTransferRequest => ({
  apiVersion: 'transfer.namespace-transfer.io/v1alpha1',
  kind: 'NamespaceTransferRequest',
  metadata: { name: 'get-data', namespace: 'team-b' },
  spec: {
    source: {
      name: 'data',
      namespace: 'team-a',
      kind: 'PersistentVolumeClaim',
    },
    targetName,
  },
});

const claim = (
  name: string,
  ref?: Partial<NonNullable<V1PersistentVolumeClaim['spec']>['dataSourceRef']>,
): V1PersistentVolumeClaim => ({
  metadata: { name, namespace: 'team-b' },
  spec: {
    resources: { requests: { storage: '1Gi' } },
    dataSourceRef: ref && {
      apiGroup: 'transfer.namespace-transfer.io',
      kind: 'NamespaceTransferRequest',
      name: 'get-data',
      ...ref,
    },
  },
});

describe('pickDestinationClaim', () => {
  it('adopts the claim whose dataSourceRef names the request', () => {
    expect(
      pickDestinationClaim(request('other'), [
        claim('unrelated'),
        claim('mine', {}),
      ]),
    ).toEqual({ name: 'mine', adopted: true });
    // a namespace equal to the claim's is the same reference
    expect(
      pickDestinationClaim(request(), [claim('mine', { namespace: 'team-b' })]),
    ).toEqual({ name: 'mine', adopted: true });
  });

  it('ignores a dataSourceRef naming something else: another group, kind, name or namespace', () => {
    const others = [
      claim('a', { apiGroup: 'snapshot.storage.k8s.io' }),
      claim('b', { kind: 'VolumeSnapshot' }),
      claim('c', { name: 'other-request' }),
      claim('d', { namespace: 'team-c' }),
      { ...claim('e', {}), metadata: { name: 'e', namespace: 'team-c' } },
    ];
    expect(pickDestinationClaim(request(), others)).toEqual({
      name: 'data',
      adopted: false,
    });
  });

  it('two claims naming the request are a conflict, named in the message', () => {
    const picked = pickDestinationClaim(request(), [
      claim('second', {}),
      claim('first', {}),
    ]);
    expect(picked.adopted).toBe(true);
    expect(picked.conflict).toBe(
      'claims first, second in team-b all name NamespaceTransferRequest get-data in their dataSourceRef: only one can receive the volume',
    );
  });

  it('without such a claim: spec.targetName, else the source name, to be created', () => {
    expect(pickDestinationClaim(request('moved'), [claim('moved')])).toEqual({
      name: 'moved',
      adopted: false,
    });
    expect(pickDestinationClaim(request(), [])).toEqual({
      name: 'data',
      adopted: false,
    });
    expect(pickDestinationClaim(request(''), [])).toEqual({
      name: 'data',
      adopted: false,
    });
  });
});
