import { inheritedMetadata } from './inherit';

describe('inheritedMetadata', () => {
  it("keeps the source claim's labels and annotations but the old volume's state and our bookkeeping", () => {
    expect(
      inheritedMetadata({
        labels: {
          app: 'orders',
          'backstage.io/kubernetes-id': 'orders-api',
          'app.kubernetes.io/managed-by': 'namespace-transfer',
          'namespace-transfer.io/transfer-id': 'old',
        },
        annotations: {
          'team.example.com/owner': 'orders',
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.kubernetes.io/selected-node': 'east-node-1',
          'volume.kubernetes.io/storage-provisioner': 'x',
          'volume.beta.kubernetes.io/storage-provisioner': 'x',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'namespace-transfer.io/transferred-to': 'west/a/b',
        },
      }),
    ).toEqual({
      labels: { app: 'orders', 'backstage.io/kubernetes-id': 'orders-api' },
      annotations: { 'team.example.com/owner': 'orders' },
    });
  });

  it("lets the caller's labels win, keeps another tool's managed-by, and narrows to keepLabels", () => {
    const source = {
      labels: {
        app: 'orders',
        tier: 'db',
        'app.kubernetes.io/managed-by': 'helm',
      },
    };
    expect(
      inheritedMetadata(source, {
        labels: { 'backstage.io/kubernetes-id': 'orders-west', tier: 'cache' },
      }).labels,
    ).toEqual({
      app: 'orders',
      tier: 'cache',
      'app.kubernetes.io/managed-by': 'helm',
      'backstage.io/kubernetes-id': 'orders-west',
    });
    expect(inheritedMetadata(source, { keepLabels: ['app'] }).labels).toEqual({
      app: 'orders',
    });
  });
});
