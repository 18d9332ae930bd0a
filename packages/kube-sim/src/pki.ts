// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// One CA per cluster signs the API server's and the kubelet's serving certificates and the API server's
// client certificate for the kubelet, as kubeadm does. ECDSA P-256 keeps start-up fast.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPair {
  issue(opts: IssueOptions): Promise<KeyPair>;
}

export interface IssueOptions {
  commonName: string;
  /** Organisations become the Kubernetes groups of a client certificate. */
  organizations?: string[];
  dnsNames?: string[];
  ips?: string[];
  usage: 'server' | 'client' | 'both';
  days?: number;
}

function toPem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

function validity(days: number) {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  return { notBefore, notAfter };
}

function subject(cn: string, orgs: string[] = []): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(cn)}`, ...orgs.map(o => `O=${escape(o)}`)].join(', ');
}

function extendedKeyUsages(
  usage: IssueOptions['usage'],
): x509.ExtendedKeyUsageType[] {
  if (usage === 'server') return [x509.ExtendedKeyUsage.serverAuth];
  if (usage === 'client') return [x509.ExtendedKeyUsage.clientAuth];
  return [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
}

export async function createCertificateAuthority(
  commonName: string,
  days = 3650,
): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subject(commonName),
    ...validity(days),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const caKeyPem = toPem(
    'PRIVATE KEY',
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
  );
  return authority(caCert, keys.privateKey, caKeyPem);
}

/**
 * A CA made elsewhere (an external API server's kubelet CA, as kubeadm keeps it in /etc/kubernetes/pki/ca.crt
 * and ca.key): its key an unencrypted PKCS #8 key, ECDSA P-256 or RSA (kubeadm's default).
 */
export async function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
): Promise<CertificateAuthority> {
  const caCert = new x509.X509Certificate(certPem);
  const der = keyPem.match(
    /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/,
  );
  if (!der)
    throw new Error(
      'the CA key is not an unencrypted PKCS #8 key ("BEGIN PRIVATE KEY"); convert it with `openssl pkcs8 -topk8 -nocrypt`',
    );
  const algorithm =
    caCert.publicKey.algorithm.name === 'RSASSA-PKCS1-v1_5'
      ? ({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const)
      : ALG;
  let key: CryptoKey;
  try {
    key = await webcrypto.subtle.importKey(
      'pkcs8',
      Buffer.from(der[1].replace(/\s+/g, ''), 'base64'),
      algorithm,
      true,
      ['sign'],
    );
  } catch (e) {
    throw new Error(
      `the CA key does not fit the CA certificate's ${algorithm.name} key, or is neither ECDSA P-256 nor RSA (${
        (e as Error).message
      })`,
    );
  }
  return authority(caCert, key, keyPem, algorithm);
}

function authority(
  caCert: x509.X509Certificate,
  signingKey: CryptoKey,
  caKeyPem: string,
  signingAlgorithm: Algorithm = ALG,
): CertificateAuthority {
  return {
    certPem: `${caCert.toString('pem')}\n`,
    keyPem: caKeyPem,
    async issue(opts: IssueOptions): Promise<KeyPair> {
      const leafKeys = (await webcrypto.subtle.generateKey(ALG, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const ext: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension(extendedKeyUsages(opts.usage)),
        await x509.AuthorityKeyIdentifierExtension.create(caCert),
      ];
      const names = [
        ...(opts.dnsNames ?? []).map(value => ({
          type: 'dns' as const,
          value,
        })),
        ...(opts.ips ?? []).map(value => ({ type: 'ip' as const, value })),
      ];
      if (names.length)
        ext.push(new x509.SubjectAlternativeNameExtension(names));
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: subject(opts.commonName, opts.organizations),
        issuer: caCert.subject,
        ...validity(opts.days ?? 365),
        signingAlgorithm,
        publicKey: leafKeys.publicKey,
        signingKey,
        extensions: ext,
      });
      return {
        certPem: `${cert.toString('pem')}\n`,
        keyPem: toPem(
          'PRIVATE KEY',
          await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey),
        ),
      };
    },
  };
}
