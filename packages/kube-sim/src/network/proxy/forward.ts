import net from 'node:net';
import type { Backend } from '../kube/backends';

const CONNECT_TIMEOUT_MS = 5000;

/** Round robin over a changing list of backends, remembered per listener as kube-proxy's userspace mode did. */
export class RoundRobin {
  private next = 0;

  /** the backends in the order to try them: starting at the next one in turn, then the others */
  order(backends: Backend[]): Backend[] {
    if (backends.length === 0) return [];
    const start = this.next % backends.length;
    this.next = (start + 1) % backends.length;
    return [...backends.slice(start), ...backends.slice(0, start)];
  }
}

function connectTo(
  backend: Backend,
  localAddress?: string,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: backend.host,
      port: backend.port,
      allowHalfOpen: true,
      localAddress,
    });
    const timer = setTimeout(
      () =>
        socket.destroy(
          new Error(`connect to ${backend.host}:${backend.port} timed out`),
        ),
      CONNECT_TIMEOUT_MS,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', err => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Connects to the first backend that accepts, trying each once in the given order. `localAddress` is the
 * source the backend sees: the node IP, as after kube-proxy's masquerade of traffic from outside the pod
 * network, rather than the host's 127.0.0.1.
 */
export async function connectAny(
  backends: Backend[],
  localAddress?: string,
): Promise<net.Socket | undefined> {
  for (const backend of backends) {
    try {
      return await connectTo(backend, localAddress);
    } catch {
      // refused or timed out: the next endpoint, as kube-proxy retries another endpoint
    }
  }
  return undefined;
}

/**
 * Pipes two sockets both ways as plain bytes. Half-close is passed on (one side's FIN ends the other's
 * writable side only), so protocols that signal end of input with shutdown(SHUT_WR) keep working; an
 * error or reset on either side tears down both.
 */
export function splice(
  client: net.Socket,
  upstream: net.Socket,
  head?: Buffer,
): void {
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const teardown = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', teardown);
  upstream.on('error', teardown);
  // the client is gone in both directions: nothing the backend still sends can be delivered
  client.on('close', () => upstream.destroy());
  // a backend that closed after a clean end has its last bytes flushed to the client by pipe(); one that
  // closed without end (reset) takes the client down with it
  upstream.on('close', () => {
    if (!client.writableEnded) client.destroy();
  });
  if (head && head.length) upstream.write(head);
  client.pipe(upstream);
  upstream.pipe(client);
  client.resume();
}
