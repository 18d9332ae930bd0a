import type { V1ContainerPort, V1Probe } from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeOutcome {
  ok: boolean;
  /** why it failed, for the Unhealthy event */
  message: string;
}

/** Runs an exec probe's command inside the container; supplied by the runtime. */
export type ExecInContainer = (
  argv: string[],
  timeoutMs: number,
) => Promise<ProbeOutcome>;

function resolvePort(
  port: number | string,
  ports: V1ContainerPort[] | undefined,
): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = ports?.find(p => p.name === port);
  if (!named)
    throw new Error(
      `port ${JSON.stringify(port)} not found in container ports`,
    );
  return named.containerPort;
}

function tcpCheck(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const sock = net.connect({ host, port });
    const done = (o: ProbeOutcome) => {
      sock.destroy();
      resolve(o);
    };
    sock.setTimeout(timeoutMs, () =>
      done({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }),
    );
    sock.on('connect', () => done({ ok: true, message: '' }));
    sock.on('error', e =>
      done({ ok: false, message: `dial tcp ${host}:${port}: ${e.message}` }),
    );
  });
}

function httpCheck(
  host: string,
  port: number,
  p: NonNullable<V1Probe['httpGet']>,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.28' };
    for (const h of p.httpHeaders ?? []) headers[h.name] = h.value;
    const req = http.get(
      {
        host: p.host || host,
        port,
        path: p.path ?? '/',
        headers,
        timeout: timeoutMs,
      },
      res => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          code >= 200 && code < 400
            ? { ok: true, message: '' }
            : {
                ok: false,
                message: `HTTP probe failed with statuscode: ${code}`,
              },
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error('context deadline exceeded')),
    );
    req.on('error', e =>
      resolve({
        ok: false,
        message: `Get "http://${host}:${port}${p.path ?? '/'}": ${e.message}`,
      }),
    );
  });
}

/** Runs one probe once against the container. */
export async function probeOnce(
  probe: V1Probe,
  podIP: string,
  ports: V1ContainerPort[] | undefined,
  exec: ExecInContainer,
): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) return await exec(probe.exec.command ?? [], timeoutMs);
    if (probe.tcpSocket)
      return await tcpCheck(
        probe.tcpSocket.host || podIP,
        resolvePort(probe.tcpSocket.port as number | string, ports),
        timeoutMs,
      );
    if (probe.httpGet)
      return await httpCheck(
        podIP,
        resolvePort(probe.httpGet.port as number | string, ports),
        probe.httpGet,
        timeoutMs,
      );
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  return { ok: false, message: 'probe has no handler kube-sim supports' };
}

/** Spawns a helper command (nsenter …) with a deadline, killing its process group on timeout. */
export function runWithTimeout(
  argv: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  return new Promise(resolve => {
    const child = spawn(argv[0], argv.slice(1), {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (b: Buffer) => {
      if (output.length < 10240) output += b.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }, timeoutMs);
    child.on('error', e => {
      clearTimeout(timer);
      resolve({ ok: false, message: e.message });
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (timedOut)
        resolve({
          ok: false,
          message: `command timed out after ${timeoutMs / 1000}s`,
        });
      else
        resolve({
          ok: code === 0,
          message: output.trim() || `command exited with ${code}`,
        });
    });
  });
}

/**
 * Runs a probe on its schedule and reports the transitions the kubelet acts on: `onResult(true)` once
 * successThreshold consecutive successes are seen (when not already successful), `onResult(false)` after
 * failureThreshold consecutive failures; `onFailure` for each failed attempt (for the Unhealthy event).
 */
export class ProbeRunner {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private state: boolean | undefined;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: V1Probe,
    private readonly check: () => Promise<ProbeOutcome>,
    private readonly onResult: (ok: boolean) => void,
    private readonly onFailure: (message: string) => void,
  ) {}

  start(): void {
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const r = await this.check();
    if (this.stopped) return;
    if (r.ok) {
      this.failures = 0;
      this.successes++;
      // liveness and startup need a single success (API validation enforces successThreshold 1 for them)
      if (
        this.successes >= (this.probe.successThreshold ?? 1) &&
        this.state !== true
      ) {
        this.state = true;
        this.onResult(true);
      }
    } else {
      this.successes = 0;
      this.failures++;
      this.onFailure(r.message);
      if (
        this.failures >= (this.probe.failureThreshold ?? 3) &&
        this.state !== false
      ) {
        this.state = false;
        this.onResult(false);
      }
    }
    this.schedule((this.probe.periodSeconds ?? 10) * 1000);
  }
}
