/**
 * stunnel configuration text. Kept separate from the container specs so that tests can read exactly
 * what a pod would get.
 *
 * @public
 */

export interface StunnelFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

function lines(entries: Array<[string, string | number]>): string {
  return `${entries.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}

const GLOBAL: Array<[string, string]> = [
  // the container runtime (or the test) supervises the process: no daemonizing
  ['foreground', 'yes'],
  ['syslog', 'no'],
  ['debug', 'notice'],
];

function tls(files: StunnelFiles, peerName: string): Array<[string, string]> {
  return [
    ['cert', files.certFile],
    ['key', files.keyFile],
    ['CAfile', files.caFile],
    // only this transfer's CA is trusted, and the peer must present the name issued for this transfer
    ['verifyChain', 'yes'],
    ['requireCert', 'yes'],
    ['checkHost', peerName],
    ['sslVersionMin', 'TLSv1.3'],
  ];
}

/** @public */
export function stunnelServerConfig(opts: {
  accept: string;
  connect: string;
  files: StunnelFiles;
  clientName: string;
}): string {
  return lines([...GLOBAL, ['pid', ''], ['socket', 'l:SO_REUSEADDR=1']]).concat(
    '[transfer]\n',
    lines([
      ['accept', opts.accept],
      ['connect', opts.connect],
      ...tls(opts.files, opts.clientName),
    ]),
  );
}

/** @public */
export function stunnelClientConfig(opts: {
  accept: string;
  connect: string;
  sni: string;
  files: StunnelFiles;
  serverName: string;
  /**
   * stunnel creates its pid file once its accepting socket listens: the mover waits for this file rather
   * than probing through the whole path (a TLS handshake to the server and back for nothing)
   */
  readyFile: string;
}): string {
  return lines([...GLOBAL, ['pid', opts.readyFile]]).concat(
    '[transfer]\n',
    lines([
      ['client', 'yes'],
      ['accept', opts.accept],
      ['connect', opts.connect],
      // resolve the endpoint on every connection: a Route host may appear in DNS after the pod starts
      ['delay', 'yes'],
      ['sni', opts.sni],
      ...tls(opts.files, opts.serverName),
    ]),
  );
}
