/**
 * An API server outage, as a control-plane upgrade or an HA failover makes one: the listener goes away with
 * every open connection (watches and log streams break mid-stream), and after the window the same server
 * listens again on the same address with the same store, so resourceVersions and objects are as they were.
 *
 * Two ways a client meets it, both seen in real clusters:
 * - `reset` (default): a load balancer in front of the control plane keeps its port but has no backend,
 *   so every connection is reset before TLS (ECONNRESET). Each attempt is counted, with its time.
 * - `closed`: a lone kube-apiserver restarting: nothing listens and the kernel refuses (ECONNREFUSED).
 *   The kernel answers those without telling anyone: they cannot be counted.
 */
import net from 'node:net';
import type { OutageHandle, OutageOptions } from '../contracts';

/** The API server's side of an outage: its listener can go away and come back. */
export interface OutageTarget {
  host: string;
  port: number;
  /** stops listening and destroys every open connection (watches end with them) */
  stopListening(): Promise<void>;
  listenAgain(): Promise<void>;
}

export class Outages {
  private current?: { over: Promise<void>; end: () => void };

  constructor(private readonly target: () => OutageTarget | undefined) {}

  /** Starts an outage now; one at a time (a second while one lasts is a test's mistake). */
  begin(o: OutageOptions): OutageHandle {
    const target = this.target();
    if (!target) throw new Error('the API server is not listening yet');
    if (this.current) throw new Error('an API server outage is already on');
    if (!(o.durationMs > 0))
      throw new Error(`outage durationMs must be > 0, got ${o.durationMs}`);
    const mode = o.mode ?? 'reset';
    const refusedAt: number[] = [];
    const state = {
      startedAt: Date.now(),
      endedAt: undefined as number | undefined,
    };
    // ending early may be asked before the window has even opened
    let endEarly: () => void = () => undefined;
    const ended = new Promise<void>(resolve => {
      const timer = setTimeout(resolve, o.durationMs);
      endEarly = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const over = (async () => {
      await target.stopListening();
      const refuser =
        mode === 'reset'
          ? await resetEveryConnection(target, at => refusedAt.push(at))
          : undefined;
      await ended;
      await refuser?.close();
      await target.listenAgain();
      state.endedAt = Date.now();
    })().finally(() => {
      this.current = undefined;
    });
    this.current = { over, end: () => endEarly() };
    return {
      mode,
      get refused() {
        return refusedAt.length;
      },
      get refusedAt() {
        return [...refusedAt];
      },
      get startedAt() {
        return state.startedAt;
      },
      get endedAt() {
        return state.endedAt;
      },
      over,
      end: () => {
        endEarly();
        return over;
      },
    };
  }

  /** for the server's stop(): an outage still on ends now, so the server it stops is listening */
  async endNow(): Promise<void> {
    const c = this.current;
    c?.end();
    await c?.over.catch(() => undefined);
  }
}

/** Listens where the API server did and resets every connection at once, counting them. */
async function resetEveryConnection(
  target: OutageTarget,
  onRefused: (at: number) => void,
): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    onRefused(Date.now());
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(target.port, target.host, () => resolve());
  });
  return {
    // the address is free once the listening handle is closed; a connection still closing must not keep
    // the API server from listening again (waiting for all of them once left a cluster down for good)
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close();
        const freed = () =>
          server.listening ? setImmediate(freed) : setImmediate(resolve);
        freed();
      }),
  };
}
