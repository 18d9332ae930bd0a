import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, loadCertificateAuthority } from './pki';

describe('pki', () => {
  it('issues a server certificate that a TLS client verifies against the CA, and a client certificate with groups', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const server = await ca.issue({
      commonName: 'srv',
      ips: ['127.0.0.1'],
      dnsNames: ['localhost'],
      usage: 'server',
    });
    const client = await ca.issue({
      commonName: 'alice',
      organizations: ['devs', 'ops'],
      usage: 'client',
    });

    const cert = new X509Certificate(client.certPem);
    expect(cert.subject).toContain('CN=alice');
    expect(cert.subject).toContain('O=devs');
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);

    const srv = createServer(
      {
        cert: server.certPem,
        key: server.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      s => s.end(`hello ${s.getPeerCertificate().subject.CN}`),
    );
    await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect({
        host: '127.0.0.1',
        port,
        ca: ca.certPem,
        cert: client.certPem,
        key: client.keyPem,
        servername: 'localhost',
      });
      let data = '';
      c.on('data', d => (data += d));
      c.on('end', () => resolve(data));
      c.on('error', reject);
    });
    srv.close();
    expect(reply).toBe('hello alice');
  });

  it('a certificate from another CA is refused', async () => {
    const ca = await createCertificateAuthority('a');
    const other = await createCertificateAuthority('b');
    const server = await ca.issue({
      commonName: 'srv',
      ips: ['127.0.0.1'],
      usage: 'server',
    });
    const srv = createServer({ cert: server.certPem, key: server.keyPem }, s =>
      s.end('x'),
    );
    await new Promise<void>(r => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const err = await new Promise<Error>(resolve => {
      const c = connect({ host: '127.0.0.1', port, ca: other.certPem });
      c.on('error', resolve);
      c.on('secureConnect', () => resolve(new Error('connected')));
    });
    srv.close();
    expect(err.message).toMatch(/certificate/i);
  });

  it('loads a CA from its PEM files and issues certificates that verify against it', async () => {
    const made = await createCertificateAuthority('external-ca');
    const loaded = await loadCertificateAuthority(made.certPem, made.keyPem);
    const leaf = await loaded.issue({ commonName: 'kubelet', usage: 'server' });
    expect(
      new X509Certificate(leaf.certPem).verify(
        new X509Certificate(made.certPem).publicKey,
      ),
    ).toBe(true);
    expect(loaded.certPem).toBe(made.certPem);
  });

  it('loads an RSA CA, as kubeadm makes them, converted to PKCS #8 by openssl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-subj',
          '/CN=kubernetes',
          '-days',
          '1',
          '-keyout',
          join(dir, 'ca.key'),
          '-out',
          join(dir, 'ca.crt'),
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ],
        { stdio: 'ignore' },
      );
      const certPem = readFileSync(join(dir, 'ca.crt'), 'utf8');
      const ca = await loadCertificateAuthority(
        certPem,
        readFileSync(join(dir, 'ca.key'), 'utf8'),
      );
      const leaf = await ca.issue({ commonName: 'kubelet', usage: 'server' });
      // openssl, not the library that signed it, checks the chain
      writeFileSync(join(dir, 'leaf.crt'), leaf.certPem);
      expect(
        execFileSync('openssl', [
          'verify',
          '-CAfile',
          join(dir, 'ca.crt'),
          join(dir, 'leaf.crt'),
        ]).toString(),
      ).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a CA key it cannot sign with, saying what to do', async () => {
    const made = await createCertificateAuthority('external-ca');
    await expect(
      loadCertificateAuthority(
        made.certPem,
        made.keyPem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY'),
      ),
    ).rejects.toThrow(/openssl pkcs8 -topk8 -nocrypt/);
  });
});
