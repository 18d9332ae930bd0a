import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';

/**
 * The per-transfer certificate authority. Every transfer gets a fresh CA whose key is thrown away once
 * the server and client certificates are issued, so a certificate of one transfer can never be accepted
 * by another: both ends trust only their own transfer's CA and check the peer's name.
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

// ECDSA P-256: signing is fast and every TLS 1.3 stack supports it.
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** @public */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

/** @public */
export interface TransferCredentials {
  transferId: string;
  caPem: string;
  server: KeyPairPem;
  client: KeyPairPem;
  /** DNS name in the server certificate that clients check (independent of the endpoint address). */
  serverName: string;
  /** DNS name in the client certificate that the server checks. */
  clientName: string;
  /** shared secret for movers with their own authentication (the rsync daemon's user) */
  moverUser: string;
  moverPassword: string;
}

/** @public */
export interface CredentialOptions {
  transferId: string;
  /** Extra names and addresses the server certificate must cover (e.g. a Route host, a LoadBalancer IP). */
  serverAltNames?: string[];
  days?: number;
}

/** @public */
export function serverNameFor(transferId: string): string {
  return `server.${transferId}.transfer.namespace-transfer.io`;
}

/** @public */
export function clientNameFor(transferId: string): string {
  return `client.${transferId}.transfer.namespace-transfer.io`;
}

function pem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function serialNumber(): string {
  // positive 128-bit serial: clear the top bit
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function altNames(names: string[]): x509.JsonGeneralNames {
  return [...new Set(names)].map(n =>
    IPV4.test(n) || n.includes(':')
      ? { type: 'ip', value: n }
      : { type: 'dns', value: n },
  );
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

/** @public */
export async function createTransferCredentials(
  opts: CredentialOptions,
): Promise<TransferCredentials> {
  const days = opts.days ?? 30;
  const notBefore = new Date(Date.now() - 5 * 60_000); // tolerate clock skew between clusters
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const caKeys = await generateKeys();
  const caName = `CN=namespace-transfer ${opts.transferId} CA`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const issue = async (
    cn: string,
    names: string[],
    usage: x509.ExtendedKeyUsage,
  ): Promise<KeyPairPem> => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${cn}`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage], false),
        new x509.SubjectAlternativeNameExtension(altNames(names), false),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    return {
      certPem: `${cert.toString('pem')}\n`,
      keyPem: pem(
        'PRIVATE KEY',
        await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
      ),
    };
  };

  const serverName = serverNameFor(opts.transferId);
  const clientName = clientNameFor(opts.transferId);
  return {
    transferId: opts.transferId,
    caPem: `${ca.toString('pem')}\n`,
    server: await issue(
      serverName,
      [serverName, ...(opts.serverAltNames ?? [])],
      x509.ExtendedKeyUsage.serverAuth,
    ),
    client: await issue(
      clientName,
      [clientName],
      x509.ExtendedKeyUsage.clientAuth,
    ),
    serverName,
    clientName,
    moverUser: 'nstransfer',
    moverPassword: randomBytes(24).toString('base64url'),
  };
}
