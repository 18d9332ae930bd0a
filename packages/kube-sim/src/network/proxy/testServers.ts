import net from 'node:net';

/** Test helper: TCP servers on chosen loopback addresses that answer with a tag, closed together. */
export class TagServers {
  private readonly servers: net.Server[] = [];

  async start(host: string, port: number, tag: string): Promise<net.Server> {
    const server = net.createServer(socket => {
      socket.on('error', () => undefined);
      socket.on('data', d => socket.end(`${tag}:${d.toString()}`));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.servers.push(server);
    return server;
  }

  async closeAll(): Promise<void> {
    await Promise.all(
      this.servers.map(
        s => new Promise<void>(resolve => s.close(() => resolve())),
      ),
    );
    this.servers.length = 0;
  }
}

/** Sends `message` to host:port and returns the whole answer. */
export function ask(
  host: string,
  port: number,
  message = 'hi',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let out = '';
    socket.on('connect', () => socket.write(message));
    socket.on('data', d => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () =>
      socket.destroy(new Error(`no answer from ${host}:${port}`)),
    );
  });
}
