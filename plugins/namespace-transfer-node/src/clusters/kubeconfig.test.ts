import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubeConfigFromToken } from '.';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const B64 = Buffer.from(PEM).toString('base64');

describe('kubeConfigFromToken', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = { name: 'east', url: 'https://127.1.0.1:6443', token: 't' };

  it('takes the CA as PEM or as base64 PEM, with TLS verification on by default', () => {
    for (const caData of [PEM, B64, `${B64}\n`]) {
      const kc = kubeConfigFromToken({ ...base, caData });
      expect(kc.getCurrentCluster()).toMatchObject({
        name: 'east',
        server: 'https://127.1.0.1:6443',
        caData: B64,
        skipTLSVerify: false,
      });
      expect(kc.getCurrentUser()?.token).toBe('t');
    }
  });

  it('reads the CA from caFile, and says which file it could not read', () => {
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, PEM);
    expect(
      kubeConfigFromToken({ ...base, caFile }).getCurrentCluster()?.caData,
    ).toBe(B64);
    expect(() =>
      kubeConfigFromToken({ ...base, caFile: path.join(dir, 'missing.pem') }),
    ).toThrow(/Cluster 'east': cannot read its caFile .*missing\.pem/);
  });

  it('skips TLS verification only when asked', () => {
    expect(
      kubeConfigFromToken({ ...base, skipTLSVerify: true }).getCurrentCluster()
        ?.skipTLSVerify,
    ).toBe(true);
  });

  it('reads the token from a token file when none is given, and refuses when there is none', () => {
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'from-file\n');
    const { token: _, ...noToken } = base;
    expect(
      kubeConfigFromToken({ ...noToken, tokenFile }).getCurrentUser()?.token,
    ).toBe('from-file');
    // a configured token wins over the file
    expect(
      kubeConfigFromToken({ ...base, tokenFile }).getCurrentUser()?.token,
    ).toBe('t');
    expect(() =>
      kubeConfigFromToken({
        ...noToken,
        tokenFile: path.join(dir, 'nothing'),
      }),
    ).toThrow(/no token configured and no token file at .*nothing/);
    writeFileSync(tokenFile, '\n');
    expect(() => kubeConfigFromToken({ ...noToken, tokenFile })).toThrow(
      /is empty/,
    );
    // no token and no file named: the in-cluster token is never sent anywhere by default
    expect(() => kubeConfigFromToken(noToken)).toThrow(
      "Cluster 'east' has no token configured",
    );
  });
});
