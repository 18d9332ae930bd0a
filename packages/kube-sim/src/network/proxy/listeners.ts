import net from 'node:net';
import { isLoopback } from '../address/addressPlan';

export type ConnectionHandler = (socket: net.Socket) => void;

interface Entry {
  server: net.Server;
  handler: ConnectionHandler;
  listening: Promise<boolean>;
}

/**
 * The set of TCP listeners a proxy keeps open, reconciled against the desired set after every change:
 * new addresses are opened, gone ones closed with their connections, kept ones get the new handler
 * without dropping established connections. Only loopback addresses are ever listened on.
 */
export class ListenerSet {
  private readonly entries = new Map<string, Entry>();
  private readonly sockets = new Map<string, Set<net.Socket>>();

  constructor(private readonly log: (msg: string) => void = () => undefined) {}

  /** `desired` maps "ip:port" to the handler of connections on it */
  async reconcile(desired: Map<string, ConnectionHandler>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const key of [...this.entries.keys()]) {
      if (!desired.has(key)) closing.push(this.close(key));
    }
    const opening: Promise<boolean>[] = [];
    for (const [key, handler] of desired) {
      const entry = this.entries.get(key);
      if (entry) entry.handler = handler;
      else opening.push(this.open(key, handler));
    }
    await Promise.all([...closing, ...opening]);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** resolves when the listener of a key is bound (false when binding failed) */
  async whenListening(key: string): Promise<boolean> {
    return (await this.entries.get(key)?.listening) ?? false;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map(key => this.close(key)));
  }

  private open(key: string, handler: ConnectionHandler): Promise<boolean> {
    const [host, portText] = splitKey(key);
    const port = Number(portText);
    if (
      !isLoopback(host) ||
      !Number.isInteger(port) ||
      port <= 0 ||
      port > 65535
    ) {
      this.log(
        `not listening on ${key}: only loopback addresses and valid ports`,
      );
      return Promise.resolve(false);
    }
    const sockets = new Set<net.Socket>();
    this.sockets.set(key, sockets);
    const server = net.createServer({
      allowHalfOpen: true,
      pauseOnConnect: true,
    });
    const entry: Entry = { server, handler, listening: Promise.resolve(false) };
    server.on('connection', socket => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      entry.handler(socket);
    });
    entry.listening = new Promise<boolean>(resolve => {
      server.once('listening', () => resolve(true));
      server.once('error', err => {
        // e.g. EADDRINUSE: dropped now, retried at the next reconcile
        this.log(`listen on ${key} failed: ${err.message}`);
        if (this.entries.get(key) === entry) {
          this.entries.delete(key);
          this.sockets.delete(key);
        }
        resolve(false);
      });
    });
    this.entries.set(key, entry);
    server.listen({ host, port, exclusive: true });
    return entry.listening;
  }

  private async close(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const socket of this.sockets.get(key) ?? []) socket.destroy();
    this.sockets.delete(key);
    if (!(await entry.listening)) return;
    await new Promise<void>(resolve => entry.server.close(() => resolve()));
  }
}

export function listenerKey(host: string, port: number): string {
  return `${host}:${port}`;
}

function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}
