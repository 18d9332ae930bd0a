import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from '../../pki';
import { LogQuery, parseCriLog, renderEntries } from './criLog';

export type LogLookup =
  | { kind: 'no-pod' }
  | { kind: 'no-container' }
  | {
      kind: 'ok';
      file?: string;
      previousFile?: string;
      running: (file: string) => boolean;
    };

export type LogResolver = (
  namespace: string,
  pod: string,
  container: string,
) => LogLookup;

const POLL_MS = 200;

function intParam(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

function boolParam(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/**
 * The kubelet's HTTPS endpoint, as far as the API server needs it: GET /containerLogs/{ns}/{pod}/{container}
 * with follow, tailLines, previous, timestamps, limitBytes, sinceSeconds and sinceTime. Clients must present
 * a certificate signed by the cluster CA (the API server's kubelet-client certificate).
 */
export async function startLogServer(
  host: string,
  port: number,
  serving: KeyPair,
  caPem: string,
  resolve: LogResolver,
): Promise<{ server: https.Server; port: number }> {
  const server = https.createServer(
    {
      key: serving.keyPem,
      cert: serving.certPem,
      ca: caPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) =>
      void handle(req, res, resolve).catch(err => {
        if (!res.headersSent)
          res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`${(err as Error).message}\n`);
      }),
  );
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  resolve: LogResolver,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(
    url.pathname,
  );
  if (req.method !== 'GET' || !m) {
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end('404 page not found\n');
    return;
  }
  const [ns, pod, container] = m.slice(1).map(decodeURIComponent);
  const found = resolve(ns, pod, container);
  if (found.kind === 'no-pod') {
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end(`pod "${pod}" does not exist\n`);
    return;
  }
  if (found.kind === 'no-container') {
    res
      .writeHead(404, { 'Content-Type': 'text/plain' })
      .end(`container "${container}" not found in pod "${pod}"\n`);
    return;
  }
  const q = url.searchParams;
  const previous = boolParam(q.get('previous'));
  const file = previous ? found.previousFile : found.file;
  if (!file) {
    const msg = previous
      ? `previous terminated container "${container}" in pod "${pod}" not found`
      : `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`;
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${msg}\n`);
    return;
  }
  const sinceSeconds = intParam(q.get('sinceSeconds'));
  const query: LogQuery = {
    tailLines: intParam(q.get('tailLines')),
    timestamps: boolParam(q.get('timestamps')),
    sinceTime:
      q.get('sinceTime') ??
      (sinceSeconds !== undefined
        ? new Date(Date.now() - sinceSeconds * 1000).toISOString()
        : undefined),
  };
  let budget = intParam(q.get('limitBytes'));
  const follow = boolParam(q.get('follow')) && !previous;

  res.writeHead(200, {
    'Content-Type': 'text/plain',
    ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}),
  });
  const data = await fs.readFile(file).catch(() => Buffer.alloc(0));
  const { entries, consumed } = parseCriLog(data);
  let offset = consumed;
  const send = (buf: Buffer): boolean => {
    const out = budget === undefined ? buf : buf.subarray(0, budget);
    if (budget !== undefined) budget -= out.length;
    if (out.length) res.write(out);
    return budget === undefined || budget > 0;
  };
  if (!send(renderEntries(entries, query)) || !follow) {
    res.end();
    return;
  }
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  // Follow: poll the file for complete new lines until the run that writes it has ended.
  const followQuery: LogQuery = { timestamps: query.timestamps };
  for (;;) {
    if (closed) return;
    const stillRunning = found.running(file);
    const fh = await fs.open(file, 'r').catch(() => undefined);
    if (fh) {
      const { size } = await fh.stat();
      if (size > offset) {
        const buf = Buffer.alloc(size - offset);
        await fh.read(buf, 0, buf.length, offset);
        const parsed = parseCriLog(buf);
        offset += parsed.consumed;
        if (!send(renderEntries(parsed.entries, followQuery))) {
          await fh.close();
          break;
        }
      }
      await fh.close();
    }
    if (!stillRunning) break;
    await new Promise(r => setTimeout(r, POLL_MS));
  }
  res.end();
}
