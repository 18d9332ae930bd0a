import { dataSourceVerdict } from './dataSource';

const claimWith = (spec: object) => ({ spec }) as any;

describe('dataSourceVerdict', () => {
  it('provisions a claim without a data source', () => {
    expect(dataSourceVerdict(claimWith({}))).toEqual({ kind: 'none' });
  });

  it('leaves a custom kind to its populator, by dataSourceRef first', () => {
    const ref = {
      apiGroup: 'transfer.namespace-transfer.io',
      kind: 'NamespaceTransferRequest',
      name: 'r',
    };
    expect(dataSourceVerdict(claimWith({ dataSourceRef: ref }))).toEqual({
      kind: 'populator',
    });
    // a core kind other than a claim is no clone either
    expect(
      dataSourceVerdict(
        claimWith({ dataSourceRef: { kind: 'ConfigMap', name: 'c' } }),
      ),
    ).toEqual({ kind: 'populator' });
  });

  it('says which of its own data sources it cannot serve', () => {
    expect(
      dataSourceVerdict(
        claimWith({ dataSource: { kind: 'PersistentVolumeClaim', name: 'a' } }),
      ),
    ).toMatchObject({ kind: 'unsupported', message: /cloning/ });
    expect(
      dataSourceVerdict(
        claimWith({
          dataSourceRef: {
            apiGroup: 'snapshot.storage.k8s.io',
            kind: 'VolumeSnapshot',
            name: 's',
          },
        }),
      ),
    ).toMatchObject({ kind: 'unsupported', message: /snapshots/ });
  });
});
