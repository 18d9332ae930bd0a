import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readClusterConfigs } from './config';

const dir = mkdtempSync(join(tmpdir(), 'nt-clusters-'));
const CA_FILE = join(dir, 'ca.pem');
writeFileSync(CA_FILE, '-----BEGIN CERTIFICATE-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
          serviceAccountToken: 'w',
          caFile: CA_FILE,
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
        caFile: CA_FILE,
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
            serviceAccountToken: 't',
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
    ).toThrow(
      "Cluster 'a' uses authProvider 'google' (kubernetes.clusterLocatorMethods[0].clusters[0].authProvider); namespace-transfer supports only 'serviceAccount'",
    );
    expect(() =>
      readClusterConfigs(
        kubernetes([
          {
            name: 'a',
            url: 'https://x',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
          {
            name: 'a',
            url: 'https://y',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
          },
        ]),
      ),
    ).toThrow(
      "Cluster name 'a' is configured more than once (again at kubernetes.clusterLocatorMethods[0].clusters[1].name); cluster names must be unique",
    );
    expect(() =>
      readClusterConfigs(
        kubernetes([
          { name: 'a', url: 'not a url', authProvider: 'serviceAccount' },
        ]),
      ),
    ).toThrow(
      "Cluster 'a' has an invalid url 'not a url' (kubernetes.clusterLocatorMethods[0].clusters[0].url); give the API server's address",
    );
  });

  it('refuses an entry without a required key, naming it', () => {
    expect(() =>
      readClusterConfigs(
        kubernetes([{ url: 'https://x', authProvider: 'serviceAccount' }]),
      ),
    ).toThrow(
      "Missing required config value at 'kubernetes.clusterLocatorMethods[0].clusters[0].name'",
    );
  });

  it('refuses a caFile that cannot be read, naming the key', () => {
    expect(() =>
      readClusterConfigs(
        kubernetes([
          {
            name: 'a',
            url: 'https://x',
            authProvider: 'serviceAccount',
            serviceAccountToken: 't',
            caFile: join(dir, 'missing.pem'),
          },
        ]),
      ),
    ).toThrow(
      "Cluster 'a' has a caFile that cannot be read (kubernetes.clusterLocatorMethods[0].clusters[0].caFile: ENOENT); mount the cluster's CA certificate (PEM) at that path, or give it as caData instead",
    );
  });

  describe('the token goes only where it is safe', () => {
    const cluster = (over: object) => ({
      name: 'east',
      url: 'https://127.1.0.1:6443',
      authProvider: 'serviceAccount',
      serviceAccountToken: 't',
      ...over,
    });
    const read = (over: object, env: NodeJS.ProcessEnv = {}, logger?: any) =>
      readClusterConfigs(
        kubernetes([cluster({ name: 'west' }), cluster(over)]),
        logger,
        env,
      );

    it('refuses an http:// url at startup, naming the cluster and the key', () => {
      expect(() => read({ url: 'http://127.1.0.1:8080' })).toThrow(
        "Cluster 'east' has an http:// url (kubernetes.clusterLocatorMethods[0].clusters[1].url): its service account token would travel in clear text. " +
          'Use an https:// url, or, for a development cluster only, set kubernetes.clusterLocatorMethods[0].clusters[1].allowInsecureHttp: true',
      );
      expect(() =>
        read({ url: 'http://127.1.0.1:8080', allowInsecureHttp: false }),
      ).toThrow(/allowInsecureHttp: true/);
    });

    it('accepts http:// where the cluster entry allows it, with a warning', () => {
      const warn = jest.fn();
      const clusters = read(
        { url: 'http://127.1.0.1:8080', allowInsecureHttp: true },
        {},
        { warn },
      );
      expect(clusters[1]).toMatchObject({
        name: 'east',
        url: 'http://127.1.0.1:8080',
        allowInsecureHttp: true,
      });
      expect(clusters[0].allowInsecureHttp).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/Cluster 'east' .*plain http.*development only/),
      );
    });

    it('refuses other schemes', () => {
      expect(() => read({ url: 'ftp://127.1.0.1' })).toThrow(
        /Cluster 'east' has a url with the scheme 'ftp:'/,
      );
    });

    it('refuses a cluster without a token unless it is the in-cluster API server, naming the cluster and the key', () => {
      expect(() => read({ serviceAccountToken: undefined })).toThrow(
        /^Cluster 'east' has no serviceAccountToken \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[1\]\.serviceAccountToken\)/,
      );
      for (const url of [
        'https://kubernetes.default.svc',
        'https://kubernetes.default.svc:443',
        'https://kubernetes.default.svc.cluster.local/',
      ]) {
        expect(
          read({ url, serviceAccountToken: undefined })[1].serviceAccountToken,
        ).toBeUndefined();
      }
      // the in-cluster names, but not the in-cluster server
      for (const url of [
        'http://kubernetes.default.svc',
        'https://kubernetes.default.svc:6443',
        'https://kubernetes.default.svc.evil.example',
        'https://user:pw@kubernetes.default.svc',
      ]) {
        expect(() =>
          read({
            url,
            serviceAccountToken: undefined,
            allowInsecureHttp: true,
          }),
        ).toThrow(/no serviceAccountToken/);
      }
    });

    it("takes the in-cluster API server's address from KUBERNETES_SERVICE_HOST and _PORT as a pod has them", () => {
      const env = {
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      };
      expect(
        read(
          { url: 'https://10.96.0.1:443', serviceAccountToken: undefined },
          env,
        ),
      ).toHaveLength(2);
      expect(() =>
        read({ url: 'https://10.96.0.2', serviceAccountToken: undefined }, env),
      ).toThrow(/no serviceAccountToken/);
      expect(() =>
        read(
          { url: 'https://10.96.0.1:6443', serviceAccountToken: undefined },
          env,
        ),
      ).toThrow(/no serviceAccountToken/);
      expect(
        read(
          { url: 'https://[fd00::1]:6443', serviceAccountToken: undefined },
          {
            KUBERNETES_SERVICE_HOST: 'fd00::1',
            KUBERNETES_SERVICE_PORT: '6443',
          },
        ),
      ).toHaveLength(2);
      // outside a pod there is no such address
      expect(() =>
        read({ url: 'https://10.96.0.1:443', serviceAccountToken: undefined }),
      ).toThrow(/no serviceAccountToken/);
    });
  });
});
