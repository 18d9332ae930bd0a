import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildKubeConfig } from './kubeConfig';
import { ClusterConfig } from './config';

describe('buildKubeConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nt-kubeconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cluster = (over: Partial<ClusterConfig> = {}): ClusterConfig => ({
    name: 'east',
    url: 'https://127.1.0.1:6443',
    authProvider: 'serviceAccount',
    skipTLSVerify: false,
    ...over,
  });

  it('uses the configured token, caData and TLS verification', () => {
    const caData = Buffer.from('-----BEGIN CERTIFICATE-----\n').toString(
      'base64',
    );
    const kc = buildKubeConfig(
      cluster({ serviceAccountToken: 't', caData }),
      path.join(dir, 'none'),
    );
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://127.1.0.1:6443',
      caData,
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('t');
  });

  it('falls back to the in-cluster token for the in-cluster API server, reads caFile and honours skipTLSVerify', () => {
    const tokenPath = path.join(dir, 'token');
    writeFileSync(tokenPath, 'pod-token\n');
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');
    const kc = buildKubeConfig(
      cluster({
        url: 'https://kubernetes.default.svc',
        caFile,
        skipTLSVerify: true,
      }),
      tokenPath,
    );
    expect(kc.getCurrentUser()?.token).toBe('pod-token');
    expect(kc.getCurrentCluster()).toMatchObject({
      caData: Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64'),
      skipTLSVerify: true,
    });
  });

  it('refuses the in-cluster API server without a token when there is no in-cluster token', () => {
    expect(() =>
      buildKubeConfig(
        cluster({ url: 'https://kubernetes.default.svc' }),
        path.join(dir, 'none'),
      ),
    ).toThrow(/Cluster 'east' has no token configured/);
  });

  it('never sends the in-cluster token to another url, even when the file is there', () => {
    const tokenPath = path.join(dir, 'token');
    writeFileSync(tokenPath, 'pod-token\n');
    expect(() => buildKubeConfig(cluster(), tokenPath)).toThrow(
      "Cluster 'east' has no serviceAccountToken; the in-cluster token is sent only to the in-cluster API server",
    );
  });

  it('speaks plain http only where the cluster allows it', () => {
    const url = 'http://127.1.0.1:8080';
    expect(() =>
      buildKubeConfig(cluster({ url, serviceAccountToken: 't' })),
    ).toThrow(/http:\/\/ url; set allowInsecureHttp/);
    const kc = buildKubeConfig(
      cluster({ url, serviceAccountToken: 't', allowInsecureHttp: true }),
    );
    // client-node refuses http without skipTLSVerify; there is no TLS to verify
    expect(kc.getCurrentCluster()).toMatchObject({
      server: url,
      skipTLSVerify: true,
    });
  });
});
