import { ConfigReader } from '@backstage/config';
import { readKepConfig } from './config';

const read = (kep?: object) =>
  readKepConfig(new ConfigReader({ namespaceTransfer: kep ? { kep } : {} }), [
    'east',
    'west',
  ]);

describe('readKepConfig', () => {
  it('runs nowhere by default, with its leases in namespace-transfer-system', () => {
    expect(read()).toEqual({
      clusters: [],
      leaseNamespace: 'namespace-transfer-system',
    });
  });

  it('reads the clusters and the lease namespace', () => {
    expect(read({ clusters: ['west'], leaseNamespace: 'platform' })).toEqual({
      clusters: ['west'],
      leaseNamespace: 'platform',
    });
  });

  it('stops start-up naming the key for an unknown or repeated cluster and a bad namespace', () => {
    expect(() => read({ clusters: ['east', 'north'] })).toThrow(
      "namespaceTransfer.kep.clusters[1] 'north' matches no cluster of kubernetes.clusterLocatorMethods (configured: 'east', 'west')",
    );
    expect(() => read({ clusters: ['east', 'east'] })).toThrow(
      "namespaceTransfer.kep.clusters names 'east' twice (again at [1])",
    );
    expect(() => read({ leaseNamespace: 'Platform_NS' })).toThrow(
      /namespaceTransfer.kep.leaseNamespace must be a DNS-1123 label.*\(got 'Platform_NS'\)/,
    );
  });
});
