// Child processes for the demo and the e2e tests: each in its own process group so that stopping kills
// everything it started (kube-sim's pods included), and nothing outlives the script.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const children = new Set();

export function start(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, {
    stdio: opts.stdio ?? 'inherit',
    detached: true,
    ...opts,
  });
  children.add(child);
  child.on('exit', code => {
    children.delete(child);
    if (opts.onExit) opts.onExit(code);
  });
  child.label = name;
  return child;
}

export async function stopAll(signal = 'SIGINT') {
  const waits = [...children].map(
    child =>
      new Promise(resolve => {
        child.once('exit', resolve);
        try {
          process.kill(-child.pid, signal);
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
          resolve();
        }, 20_000).unref();
      }),
  );
  await Promise.all(waits);
}

export async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

export const fileExists = path => async () => existsSync(path);

export const httpOk = url => async () => (await fetch(url)).ok;
