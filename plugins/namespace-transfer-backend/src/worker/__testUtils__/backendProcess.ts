/**
 * Backend processes for the worker's process tests: each is workerBackend.ts (Backstage's backend with the
 * real plugin) started with its own config file on one PostgreSQL and the same kube-sim clusters, its
 * output kept so that a test can wait for what it logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimCluster } from 'kube-sim';
import { POSTGRES_URL_VARIABLE } from '../../store/__testUtils__/databases';
import { eventually } from './fakeEngine';

const SCRIPT = join(__dirname, 'workerBackend.ts');
const PACKAGE_DIR = join(__dirname, '../../..');
const START_TIMEOUT_MS = 180_000;

export type ExitStatus = {
  code: number | null;
  signal: NodeJS.Signals | null;
};

export interface BackendProcess {
  name: string;
  proc: ChildProcess;
  output: string[];
  exited: Promise<ExitStatus>;
  /** how its worker names itself in the leases it holds (`host/pid/…`) */
  holderPrefix: string;
  alive(): boolean;
  /** whether the kernel has it stopped (SIGSTOP took effect): state T in /proc/<pid>/stat */
  stopped(): boolean;
  /** waits until it logs a line holding `text` (e.g. the worker giving a run up); returns the line */
  logged(text: string, timeoutMs?: number): Promise<string>;
}

// the logger colours its lines on a terminal-less stdout too (NODE_ENV is not production)
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name in parentheses may hold spaces: the state is the field after it
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

export function pgConnection() {
  const url = new URL(process.env[POSTGRES_URL_VARIABLE]!);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** The cluster as the backend's config names it, with a token of the engine's own identity. */
function clusterEntry(c: SimCluster, engineUser: string) {
  return {
    name: c.name,
    url: c.server,
    authProvider: 'serviceAccount',
    serviceAccountToken: c
      .userKubeConfig({ username: engineUser, groups: ['system:masters'] })
      .getCurrentUser()!.token!,
    caData: c.caData,
  };
}

export interface BackendProcessesOptions {
  /** the database prefix: every backend of a file shares its PostgreSQL database */
  prefix: string;
  clusters: SimCluster[];
  engineUser: string;
  /** namespaceTransfer.worker of every backend */
  worker: Record<string, unknown>;
}

/** Starts backend processes of one file and kills whatever is left of them at its end. */
export class BackendProcesses {
  readonly all: BackendProcess[] = [];
  /** the config files written, each with a cluster token: removed at the end */
  private readonly files: string[] = [];

  constructor(private readonly o: BackendProcessesOptions) {}

  /** The processes not ended (a frozen one counts). */
  get alive(): BackendProcess[] {
    return this.all.filter(b => b.alive());
  }

  /** The backend whose worker holds a lease named `holder`. */
  holding(holder: string | undefined): BackendProcess {
    const b = this.all.find(p => holder?.startsWith(p.holderPrefix));
    if (!b) throw new Error(`no backend of this test holds ${holder}`);
    return b;
  }

  /** Kills what is left of them (a frozen one too) and removes their config files. */
  killAll(): void {
    for (const b of this.alive) {
      b.proc.kill('SIGCONT');
      b.proc.kill('SIGKILL');
    }
    for (const f of this.files.splice(0)) rmSync(f, { force: true });
  }

  private writeConfig(name: string, port: number): string {
    const file = join(tmpdir(), `${this.o.prefix}${name}.yaml`);
    this.files.push(file);
    // JSON is YAML: Backstage's config loader reads it as the app-config it is
    writeFileSync(
      file,
      JSON.stringify({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { port, host: '127.0.0.1' },
          database: {
            client: 'pg',
            prefix: this.o.prefix,
            connection: pgConnection(),
          },
        },
        namespaceTransfer: { worker: this.o.worker },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: this.o.clusters.map(c =>
                clusterEntry(c, this.o.engineUser),
              ),
            },
          ],
        },
      }),
    );
    return file;
  }

  /** Starts a backend and waits until its worker runs. */
  async start(name: string): Promise<BackendProcess> {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', SCRIPT, '--config', this.writeConfig(name, port)],
      { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    const exited = new Promise<ExitStatus>(resolve =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const backend: BackendProcess = {
      name,
      proc,
      output,
      exited,
      holderPrefix: `${hostname()}/${proc.pid}/`,
      alive: () => proc.exitCode === null && proc.signalCode === null,
      stopped: () => processState(proc.pid!) === 'T',
      logged: (text, timeoutMs = 60_000) =>
        eventually(
          async () =>
            output
              .join('')
              .replace(ANSI, '')
              .split('\n')
              .find(line => line.includes(text)),
          `backend ${name} to log "${text}"`,
          timeoutMs,
        ),
    };
    this.all.push(backend);
    const started = new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('WORKER-BACKEND-STARTED')) resolve();
      });
      proc.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      void exited.then(e =>
        reject(
          new Error(
            `backend ${name} exited (${JSON.stringify(e)}) before its worker started:\n${output.join('')}`,
          ),
        ),
      );
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      started,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `backend ${name} did not start in ${START_TIMEOUT_MS} ms`,
              ),
            ),
          START_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return backend;
  }
}
