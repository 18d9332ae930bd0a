import net from 'node:net';
import tls from 'node:tls';
import { parseClientHello } from './sni';

/** The bytes a real TLS client (node's tls) sends first, captured by a plain TCP server. */
async function captureClientHello(
  opts: tls.ConnectionOptions,
): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const captured = new Promise<Buffer>(resolve => {
      server.once('connection', socket => {
        let data = Buffer.alloc(0);
        socket.on('data', chunk => {
          data = Buffer.concat([data, chunk]);
          const len = data.length >= 5 ? data.readUInt16BE(3) : Infinity;
          if (data.length >= 5 + len) {
            resolve(data);
            socket.destroy();
          }
        });
      });
    });
    const client = tls.connect({ host: '127.0.0.1', port, ...opts });
    client.on('error', () => undefined);
    const hello = await captured;
    client.destroy();
    return hello;
  } finally {
    server.close();
  }
}

/** Re-frames one handshake message into TLS records of at most `size` bytes, as a client may. */
function fragment(hello: Buffer, size: number): Buffer {
  const handshake = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const records: Buffer[] = [];
  for (let i = 0; i < handshake.length; i += size) {
    const part = handshake.subarray(i, i + size);
    const header = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    header.writeUInt16BE(part.length, 3);
    records.push(header, part);
  }
  return Buffer.concat(records);
}

describe('parseClientHello', () => {
  it('reads the server name of a real ClientHello (TLS 1.3 and 1.2)', async () => {
    const v13 = await captureClientHello({
      servername: 'Rsync-Transfer.Apps.East.kube-sim.test',
    });
    expect(parseClientHello(v13)).toEqual({
      kind: 'hello',
      serverName: 'rsync-transfer.apps.east.kube-sim.test',
    });
    const v12 = await captureClientHello({
      servername: 'a.example.test',
      maxVersion: 'TLSv1.2',
    });
    expect(parseClientHello(v12)).toEqual({
      kind: 'hello',
      serverName: 'a.example.test',
    });
  });

  it('finds no server name when the client sends none', async () => {
    // node sends no SNI when connecting to an IP address without servername
    const hello = await captureClientHello({});
    expect(parseClientHello(hello)).toEqual({ kind: 'hello' });
  });

  it('asks for more bytes until the ClientHello is complete', async () => {
    const hello = await captureClientHello({ servername: 'more.example.test' });
    for (const cut of [0, 1, 4, 5, 6, 40, hello.length - 1]) {
      expect(parseClientHello(hello.subarray(0, cut))).toEqual({
        kind: 'incomplete',
      });
    }
    // bytes after the ClientHello (none expected from a client, but harmless) do not matter
    expect(
      parseClientHello(Buffer.concat([hello, Buffer.from('x')])),
    ).toMatchObject({ serverName: 'more.example.test' });
  });

  it('reassembles a ClientHello split over several TLS records', async () => {
    const hello = await captureClientHello({
      servername: 'split.example.test',
    });
    const split = fragment(hello, 50);
    expect(parseClientHello(split)).toEqual({
      kind: 'hello',
      serverName: 'split.example.test',
    });
    expect(parseClientHello(split.subarray(0, split.length - 3))).toEqual({
      kind: 'incomplete',
    });
  });

  it('rejects what is not a TLS ClientHello', async () => {
    expect(
      parseClientHello(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    ).toMatchObject({ kind: 'invalid' });
    expect(
      parseClientHello(Buffer.from([0x17, 0x03, 0x03, 0x00, 0x01, 0x00])),
    ).toMatchObject({ kind: 'invalid' });
    const hello = await captureClientHello({ servername: 'bad.example.test' });
    const corrupt = Buffer.from(hello);
    corrupt[5] = 0x02; // ServerHello instead of ClientHello
    expect(parseClientHello(corrupt)).toMatchObject({ kind: 'invalid' });
    const truncated = Buffer.from(hello);
    truncated.writeUIntBE(10, 6, 3); // handshake length shorter than its fields
    truncated.writeUInt16BE(14, 3);
    expect(parseClientHello(truncated.subarray(0, 19))).toMatchObject({
      kind: 'invalid',
    });
  });
});
