import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './config';

const kubernetes = (clusters: object[], extra: object[] = []) =>
  new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [...extra, { type: 'config', clusters }],
    },
  });

describe('readClusterConfigs', () => {
  it('reads clusters in the format of the Kubernetes plugin, TLS verification on by default', () => {
    const clusters = readClusterConfigs(
      kubernetes([
        {
          name: 'east',
          url: 'https://127.1.0.1:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 't',
          caData: 'Q0E=',
        },
        {
          name: 'west',
          url: 'https://127.2.0.1:6443',
          authProvider: 'serviceAccount',
          caFile: '/ca.pem',
          skipTLSVerify: true,
        },
      ]),
    );
    expect(clusters).toEqual([
      expect.objectContaining({
        name: 'east',
        serviceAccountToken: 't',
        caData: 'Q0E=',
        skipTLSVerify: false,
      }),
      expect.objectContaining({
        name: 'west',
        caFile: '/ca.pem',
        skipTLSVerify: true,
      }),
    ]);
  });

  it('returns no clusters when none are configured', () => {
    expect(readClusterConfigs(new ConfigReader({}))).toEqual([]);
  });

  it('skips other locator types with a warning', () => {
    const warn = jest.fn();
    const clusters = readClusterConfigs(
      kubernetes(
        [
          {
            name: 'east',
            url: 'https://127.1.0.1:6443',
            authProvider: 'serviceAccount',
          },
        ],
        [{ type: 'catalog' }],
      ),
      { warn } as any,
    );
    expect(clusters.map(c => c.name)).toEqual(['east']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("'catalog'"));
  });

  it('refuses unsupported auth providers, duplicate names and bad urls', () => {
    expect(() =>
      readClusterConfigs(
        kubernetes([{ name: 'a', url: 'https://x', authProvider: 'google' }]),
      ),
    ).toThrow(/supports only 'serviceAccount'/);
    expect(() =>
      readClusterConfigs(
        kubernetes([
          { name: 'a', url: 'https://x', authProvider: 'serviceAccount' },
          { name: 'a', url: 'https://y', authProvider: 'serviceAccount' },
        ]),
      ),
    ).toThrow(/more than once/);
    expect(() =>
      readClusterConfigs(
        kubernetes([
          { name: 'a', url: 'not a url', authProvider: 'serviceAccount' },
        ]),
      ),
    ).toThrow(/invalid url/);
  });
});
