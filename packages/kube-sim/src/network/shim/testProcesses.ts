import { ChildProcess, spawn } from 'node:child_process';

/**
 * Test helper: processes started as if they were containers of a pod (LD_PRELOAD shim + pod IP), killed
 * by pid at the end of a test.
 */
export class PodProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly shimPath: string) {}

  env(
    podIP: string | undefined,
    extra: Record<string, string> = {},
  ): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LD_PRELOAD: this.shimPath,
      ...extra,
    };
    delete env.NODE_OPTIONS; // jest's options must not leak into child node processes
    if (podIP) env.KUBE_SIM_POD_IP = podIP;
    else delete env.KUBE_SIM_POD_IP;
    return env;
  }

  /** starts a long-running process and resolves once its output contains `readyText` */
  start(
    podIP: string,
    cmd: string,
    args: string[],
    readyText: string | RegExp,
    opts: { cwd?: string } = {},
  ): Promise<ChildProcess> {
    const child = spawn(cmd, args, {
      env: this.env(podIP),
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`${cmd} not ready: ${output}`)),
        10_000,
      );
      const onData = (d: Buffer) => {
        output += d.toString();
        if (
          typeof readyText === 'string'
            ? output.includes(readyText)
            : readyText.test(output)
        ) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', code => {
        clearTimeout(timer);
        reject(new Error(`${cmd} exited with ${code}: ${output}`));
      });
    });
  }

  /** runs a process to completion and returns its stdout (rejects on a non-zero exit) */
  run(
    podIP: string | undefined,
    cmd: string,
    args: string[],
    opts: { input?: string; timeoutMs?: number } = {},
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, {
        env: this.env(podIP),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.children.push(child);
      let out = '';
      let err = '';
      const timer = setTimeout(
        () => child.kill('SIGKILL'),
        opts.timeoutMs ?? 10_000,
      );
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (err += d));
      child.on('exit', code => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else
          reject(
            new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err || out}`),
          );
      });
      child.stdin.end(opts.input ?? '');
    });
  }

  async killAll(): Promise<void> {
    await Promise.all(
      this.children.map(
        child =>
          new Promise<void>(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    this.children.length = 0;
  }
}
