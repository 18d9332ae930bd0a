import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterConfig } from './config';
import { ClusterRegistry } from './ClusterRegistry';
import { engineKubeConfigs, readEngineTokens } from './engineIdentity';

const cluster = (name: string): ClusterConfig => ({
  name,
  url: `https://${name}.example.com:6443`,
  authProvider: 'serviceAccount',
  serviceAccountToken: `reader-of-${name}`,
  caData: 'Q0E=',
  skipTLSVerify: false,
});
const clusters = [cluster('east'), cluster('west')];
const read = (entries: object[]) =>
  readEngineTokens(
    new ConfigReader({
      namespaceTransfer: { worker: { clusters: entries } },
    }),
    clusters,
  );

describe('readEngineTokens', () => {
  it('reads one token per named cluster, and none when the key is not set', () => {
    expect(read([{ name: 'west', serviceAccountToken: 'engine-w' }])).toEqual(
      new Map([['west', 'engine-w']]),
    );
    expect(readEngineTokens(new ConfigReader({}), clusters)).toEqual(new Map());
  });

  it('refuses a name that matches no cluster entry, naming the key and the clusters there are', () => {
    expect(() =>
      read([
        { name: 'east', serviceAccountToken: 'e' },
        { name: 'north', serviceAccountToken: 'n' },
      ]),
    ).toThrow(
      "namespaceTransfer.worker.clusters[1].name 'north' matches no cluster of kubernetes.clusterLocatorMethods (configured: 'east', 'west')",
    );
  });

  it('refuses a cluster named twice, an entry without a token or with an empty one', () => {
    expect(() =>
      read([
        { name: 'east', serviceAccountToken: 'e' },
        { name: 'east', serviceAccountToken: 'f' },
      ]),
    ).toThrow(
      "Cluster 'east' has more than one transfer identity (again at namespaceTransfer.worker.clusters[1].name)",
    );
    expect(() => read([{ name: 'east' }])).toThrow(
      "Missing required config value at 'namespaceTransfer.worker.clusters[0].serviceAccountToken'",
    );
    expect(() => read([{ name: 'east', serviceAccountToken: ' ' }])).toThrow(
      'namespaceTransfer.worker.clusters[0].serviceAccountToken is empty',
    );
  });
});

describe('engineKubeConfigs', () => {
  const tokenOf = (kc: { getCurrentUser(): { token?: string } | null }) =>
    kc.getCurrentUser()?.token;

  it("gives a named cluster the engine's token at the entry's URL and CA, the others the reader's with one warning naming them", () => {
    const registry = new ClusterRegistry(clusters);
    const logger = mockServices.logger.mock();
    const kubeConfig = engineKubeConfigs(
      registry,
      new Map([['east', 'engine-e']]),
      logger,
    );
    const east = kubeConfig('east');
    expect(tokenOf(east)).toBe('engine-e');
    expect(east.getCurrentCluster()).toMatchObject({
      server: 'https://east.example.com:6443',
      caData: 'Q0E=',
    });
    expect(kubeConfig('east')).toBe(east);
    // the portal's clients of the same cluster keep the reader
    expect(tokenOf(registry.clients('east').kubeConfig)).toBe('reader-of-east');
    expect(tokenOf(kubeConfig('west'))).toBe('reader-of-west');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const warning = logger.warn.mock.calls[0][0] as string;
    expect(warning).toContain("No transfer identity for cluster 'west'");
    expect(warning).not.toMatch(/reader-of|engine-e/);
    expect(() => kubeConfig('north')).toThrow("Unknown cluster 'north'");
  });

  it('warns of nothing when every cluster has an engine identity', () => {
    const logger = mockServices.logger.mock();
    engineKubeConfigs(
      new ClusterRegistry(clusters),
      new Map([
        ['east', 'e'],
        ['west', 'w'],
      ]),
      logger,
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
