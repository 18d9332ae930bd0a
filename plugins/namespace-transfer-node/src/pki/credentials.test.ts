import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  X509Certificate as NodeX509,
  createPrivateKey,
  createPublicKey,
} from 'node:crypto';
import { createTransferCredentials } from '.';

describe('per-transfer credentials', () => {
  it('issues a server and a client certificate that chain only to their own transfer CA', async () => {
    const a = await createTransferCredentials({
      transferId: 'a1',
      serverAltNames: ['route.apps.example', '127.40.128.1'],
    });
    const b = await createTransferCredentials({ transferId: 'a1' });
    const caA = new NodeX509(a.caPem);
    const caB = new NodeX509(b.caPem);
    const server = new NodeX509(a.server.certPem);
    const client = new NodeX509(a.client.certPem);
    expect(server.verify(caA.publicKey)).toBe(true);
    expect(client.verify(caA.publicKey)).toBe(true);
    // same transfer id, another run: a different CA that must not vouch for the first one's certificates
    expect(client.verify(caB.publicKey)).toBe(false);
    expect(server.checkHost(a.serverName)).toBe(a.serverName);
    expect(server.checkHost('route.apps.example')).toBe('route.apps.example');
    expect(server.checkIP('127.40.128.1')).toBe('127.40.128.1');
    expect(client.checkHost(a.clientName)).toBe(a.clientName);
    expect(client.checkHost(a.serverName)).toBeUndefined();
    // key usage: the server certificate is for serverAuth only, the client's for clientAuth only
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(
      new x509.X509Certificate(a.caPem).getExtension(
        x509.BasicConstraintsExtension,
      )?.ca,
    ).toBe(true);
    // the keys belong to the certificates
    expect(
      createPublicKey(createPrivateKey(a.server.keyPem)).export({
        format: 'pem',
        type: 'spki',
      }),
    ).toBe(server.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(a.moverPassword).not.toBe(b.moverPassword);
    expect(a.moverPassword.length).toBeGreaterThanOrEqual(32);
  });
});
