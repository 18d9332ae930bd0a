import { X509Certificate } from 'node:crypto';
import { createServer, connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority } from './pki';

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
});
