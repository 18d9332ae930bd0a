/**
 * Test support: runs the containers a seam produced as local processes, the way a kubelet would
 * (`$(VAR)` expansion, env, non-root uid/gid via setpriv, Secret/ConfigMap data as files). It lets the
 * real configs and scripts move real files without a cluster. Not exported from the package.
 */
import type { V1Container } from '@kubernetes/client-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import type { PodLayout, Side } from '../sides';

export interface LocalIdentity {
  uid: number;
  gid: number;
}

/** Kubernetes' `$(VAR)` expansion: defined variables are replaced, `$$(VAR)` escapes. */
export function expandKubeVars(
  text: string,
  env: Record<string, string>,
): string {
  return text.replace(
    /\$(\$)?\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
    (whole, escaped, name) => {
      if (escaped) return `$(${name})`;
      return name in env ? env[name] : whole;
    },
  );
}

/** Writes a side's Secret and ConfigMap data where its containers expect them. */
export function materializeSide(
  side: Side,
  layout: PodLayout,
  id: LocalIdentity,
) {
  for (const dir of [layout.secretDir, layout.configDir, layout.scratchDir])
    mkdirSync(dir, { recursive: true });
  for (const [k, v] of Object.entries(side.configData))
    writeFileSync(join(layout.configDir, k), v, { mode: 0o444 });
  for (const [k, v] of Object.entries(side.secretData)) {
    const file = join(layout.secretDir, k);
    writeFileSync(file, v);
    // like a Secret volume with defaultMode 0440 and fsGroup
    chownSync(file, 0, id.gid);
    chmodSync(file, 0o440);
  }
  chownSync(layout.scratchDir, id.uid, id.gid);
}

export interface RunningContainer {
  name: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number>;
  onOutput(listener: (chunk: string) => void): void;
}

export function startContainer(
  c: V1Container,
  env: Record<string, string>,
  id: LocalIdentity,
): RunningContainer {
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...env,
  };
  for (const e of c.env ?? [])
    if (e.value !== undefined)
      fullEnv[e.name] = expandKubeVars(e.value, fullEnv);
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map(a =>
    expandKubeVars(a, fullEnv),
  );
  const proc = spawn(
    'setpriv',
    [
      `--reuid=${id.uid}`,
      `--regid=${id.gid}`,
      '--clear-groups',
      '--no-new-privs',
      '--',
      ...argv,
    ],
    { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  const listeners: Array<(chunk: string) => void> = [];
  const onData = (b: Buffer) => {
    const s = b.toString('utf8');
    out += s;
    for (const l of listeners) l(s);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number>(resolve =>
    proc.on('close', code => resolve(code ?? 128)),
  );
  return {
    name: c.name,
    process: proc,
    output: () => out,
    exited,
    onOutput: l => listeners.push(l),
  };
}

export async function stopContainers(containers: RunningContainer[]) {
  for (const c of containers) {
    if (c.process.exitCode === null && c.process.pid) {
      try {
        process.kill(-c.process.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(
    containers.map(c =>
      Promise.race([c.exited, new Promise(r => setTimeout(r, 3000).unref())]),
    ),
  );
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(
  host: string,
  port: number,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>(resolve => {
      const s = connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listens on ${host}:${port}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** A loopback address unlikely to be used by kube-sim clusters (they take 127.20-250.x.x). */
export function randomLoopback(): string {
  return `127.3.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}
