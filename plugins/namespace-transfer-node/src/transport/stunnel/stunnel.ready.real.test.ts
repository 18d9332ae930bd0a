/**
 * Real test, no cluster: the client sidecar's stunnel, started with the config the seam produces, makes its
 * pid file only once its accepting socket listens. The rsync client waits for that file instead of probing
 * through the whole path, so a connection made the moment the file appears must be accepted.
 * Requires stunnel on the host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransferCredentials } from '../../pki';
import { freePort } from '../../testing/localContainers';
import { stunnelClientConfig } from './config';

jest.setTimeout(60_000);

/**
 * Resolves once the port accepted a connection. stunnel dials its (dead) connect address as soon as it
 * accepts and then resets the client, so on a loaded machine the reset can be what Node reports first: a
 * reset also proves the port accepted, unlike a refusal.
 */
const connects = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' ? resolve() : reject(e),
    );
  });

describe('stunnel client readiness', () => {
  let dir: string;
  let proc: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nst-stunnel-ready-'));
  });
  afterEach(() => {
    proc?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes its pid file only once it accepts connections', async () => {
    const credentials = await createTransferCredentials({
      transferId: 'tr-ready',
    });
    const files = {
      caFile: join(dir, 'ca.crt'),
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
    };
    writeFileSync(files.caFile, credentials.caPem);
    writeFileSync(files.certFile, credentials.client.certPem);
    writeFileSync(files.keyFile, credentials.client.keyPem, { mode: 0o600 });
    const port = await freePort('127.0.0.1');
    const readyFile = join(dir, 'stunnel.pid');
    const conf = join(dir, 'stunnel.conf');
    writeFileSync(
      conf,
      stunnelClientConfig({
        accept: `127.0.0.1:${port}`,
        // nothing listens there: readiness is about the local end only (`delay = yes` dials on use)
        connect: '127.0.0.1:1',
        sni: 'server.example',
        files,
        serverName: credentials.serverName,
        readyFile,
      }),
    );
    expect(existsSync(readyFile)).toBe(false);
    await expect(connects(port)).rejects.toThrow(/ECONNREFUSED/);

    proc = spawn('stunnel', [conf], { stdio: 'ignore' });
    const exited = new Promise<number | null>(r => proc!.once('exit', r));
    const deadline = Date.now() + 20_000;
    while (!existsSync(readyFile)) {
      if (Date.now() > deadline) throw new Error('stunnel made no pid file');
      if (proc.exitCode !== null)
        throw new Error(`stunnel exited with ${proc.exitCode}`);
      await new Promise(r => setTimeout(r, 2));
    }
    // the moment the file is there, the port takes connections
    await connects(port);
    proc.kill('SIGTERM');
    await exited;
  });
});
