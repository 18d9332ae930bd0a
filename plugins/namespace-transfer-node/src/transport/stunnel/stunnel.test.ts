import { stunnelTransport } from '.';
import { POD_LAYOUT, DEFAULT_PORTS } from '../../sides';
import type { SeamContext } from '../types';
import type { TransferCredentials } from '../../pki';

const credentials = {
  transferId: 't1',
  caPem: 'CA',
  server: { certPem: 'SCERT', keyPem: 'SKEY' },
  client: { certPem: 'CCERT', keyPem: 'CKEY' },
  serverName: 'server.t1.transfer.namespace-transfer.io',
  clientName: 'client.t1.transfer.namespace-transfer.io',
  moverUser: 'nstransfer',
  moverPassword: 'pw',
} satisfies TransferCredentials;

const ctx: SeamContext = {
  transferId: 't1',
  credentials,
  layout: POD_LAYOUT,
  ports: DEFAULT_PORTS,
  image: 'img',
  securityContext: { runAsNonRoot: true },
};

function parse(conf: string) {
  return Object.fromEntries(
    conf
      .split('\n')
      .filter(l => l.includes(' = '))
      .map(l => l.split(' = ') as [string, string]),
  );
}

describe('stunnel transport', () => {
  it('server: TLS 1.3 only, client certificate of this transfer required, forwards to the pod-local mover', () => {
    const side = stunnelTransport.server(ctx);
    const conf = parse(side.configData['stunnel-server.conf']);
    expect(conf).toMatchObject({
      accept: '0.0.0.0:8443',
      connect: '127.0.0.1:8873',
      verifyChain: 'yes',
      requireCert: 'yes',
      checkHost: credentials.clientName,
      sslVersionMin: 'TLSv1.3',
      CAfile: '/etc/nstransfer/secret/ca.crt',
      cert: '/etc/nstransfer/secret/tls.crt',
      key: '/etc/nstransfer/secret/tls.key',
      foreground: 'yes',
      // no pid file: nobody waits on the server's
      pid: '',
    });
    expect(side.secretData).toEqual({
      'ca.crt': 'CA',
      'tls.crt': 'SCERT',
      'tls.key': 'SKEY',
    });
    // key material never in the ConfigMap
    expect(JSON.stringify(side.configData)).not.toMatch(/SKEY|CKEY/);
    expect(stunnelTransport.moverListen(ctx)).toEqual({
      host: '127.0.0.1',
      port: 8873,
    });
    expect(side.containers[0].ports).toEqual([
      { name: 'transfer', containerPort: 8443, protocol: 'TCP' },
    ]);
  });

  it('client: the mover dials the local sidecar, which dials the endpoint with SNI and checks the server name', () => {
    const endpoint = {
      host: 'nst-t1.apps.west',
      port: 443,
      sni: 'nst-t1.apps.west',
    };
    const side = stunnelTransport.client(ctx, endpoint);
    const conf = parse(side.configData['stunnel-client.conf']);
    expect(conf).toMatchObject({
      client: 'yes',
      accept: '127.0.0.1:8874',
      connect: 'nst-t1.apps.west:443',
      sni: 'nst-t1.apps.west',
      checkHost: credentials.serverName,
      sslVersionMin: 'TLSv1.3',
    });
    expect(stunnelTransport.moverConnect(ctx, endpoint)).toEqual({
      host: '127.0.0.1',
      port: 8874,
    });
    expect(side.secretData).toEqual({
      'ca.crt': 'CA',
      'tls.crt': 'CCERT',
      'tls.key': 'CKEY',
    });
    // the sidecar ends with the mover, so the client pod can complete
    expect(side.containers[0].command!.join(' ')).toContain(
      '/var/run/nstransfer/done',
    );
    // the mover waits for the pid file, in the scratch volume both containers mount
    expect(stunnelTransport.clientReadyFile!(ctx)).toBe(
      '/var/run/nstransfer/stunnel.pid',
    );
    expect(conf.pid).toBe('/var/run/nstransfer/stunnel.pid');
    expect(side.containers[0].volumeMounts).toContainEqual({
      name: 'scratch',
      mountPath: '/var/run/nstransfer',
    });
  });
});
