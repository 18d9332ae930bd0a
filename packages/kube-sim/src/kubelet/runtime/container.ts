import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  ContainerConfigError,
  containerEnv,
  EnvSources,
} from '../env/containerEnv';
import { expand } from '../env/expand';
import {
  containerExec,
  launcherScript,
  sandboxCommand,
  SandboxMount,
  START_ERROR_FILE,
} from '../sandbox/launcher';
import type { ImageCatalog } from '../image/contents';
import { resolveIdentity, setprivArgs } from '../security/identity';
import type { PreparedVolume } from '../volumes/prepare';
import { ContainerProcess, startProcess } from './process';
import { ProbeOutcome, runWithTimeout } from './probe';

/** A container that cannot be created (bad mount, no command): CreateContainerError, retried. */
export class CreateContainerError extends Error {}

export interface NodeFacts {
  nodeName: string;
  hostIP: string;
  hostsFile: string;
  resolvConf: string;
  shimPath: string;
  allocatable: Record<string, string>;
  /** images whose containers see only their packages' executables; others see the host's */
  images?: ImageCatalog;
}

export interface ContainerLaunch {
  pod: V1Pod;
  container: V1Container;
  podIP: string;
  podDir: string;
  logFile: string;
  volumes: Map<string, PreparedVolume>;
}

export interface RunningContainer {
  proc: ContainerProcess;
  stateDir: string;
  /** runs a command as the container, in its mount namespace and root (exec probes, preStop hooks) */
  exec(argv: string[], timeoutMs: number): Promise<ProbeOutcome>;
}

const DEFAULT_PATH =
  '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

async function mountsFor(
  l: ContainerLaunch,
  env: Record<string, string>,
): Promise<SandboxMount[]> {
  const out: SandboxMount[] = [];
  for (const vm of l.container.volumeMounts ?? []) {
    const vol = l.volumes.get(vm.name);
    if (!vol)
      throw new CreateContainerError(
        `cannot find volume "${vm.name}" to mount into container "${l.container.name}"`,
      );
    const sub = vm.subPathExpr
      ? expand(vm.subPathExpr, n => env[n])
      : (vm.subPath ?? '');
    let source = vol.hostPath;
    if (sub) {
      const norm = path.posix.normalize(sub);
      if (
        path.posix.isAbsolute(norm) ||
        norm === '..' ||
        norm.startsWith('../')
      ) {
        throw new CreateContainerError(
          `subPath "${sub}" must not be absolute or contain '..'`,
        );
      }
      source = path.join(vol.hostPath, norm);
      const real = await fs.realpath(source).catch(() => undefined);
      if (real === undefined) {
        // The kubelet creates a missing subPath directory with the mode of the volume's root.
        const mode = (await fs.stat(vol.hostPath)).mode & 0o7777;
        await fs.mkdir(source, { recursive: true });
        await fs.chmod(source, mode);
      } else {
        const base = await fs.realpath(vol.hostPath);
        if (real !== base && !real.startsWith(base + path.sep)) {
          throw new CreateContainerError(
            `subPath "${sub}" resolves outside volume "${vm.name}"`,
          );
        }
        source = real;
      }
    }
    const st = await fs.stat(source);
    out.push({
      source,
      target: vm.mountPath,
      readOnly: !!vm.readOnly || vol.readOnly,
      file: !st.isDirectory(),
    });
  }
  return out;
}

/** Creates and starts one container of a pod as a sandboxed host process. */
export async function startContainer(
  node: NodeFacts,
  src: EnvSources,
  l: ContainerLaunch,
): Promise<RunningContainer> {
  const { pod, container: c } = l;
  const identity = resolveIdentity(pod, c);
  const env = await containerEnv(
    pod,
    c,
    { podIP: l.podIP, hostIP: node.hostIP, nodeAllocatable: node.allocatable },
    src,
  );
  const lookup = (n: string) => env[n];
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map(a =>
    expand(a, lookup),
  );
  // Images carry no ENTRYPOINT/CMD here, so there is nothing to fall back to.
  if (argv.length === 0) throw new CreateContainerError('no command specified');
  const image = node.images?.contentsOf(c.image);

  const procEnv: Record<string, string> = {
    PATH: image?.path ?? DEFAULT_PATH,
    HOSTNAME: pod.spec?.hostname ?? pod.metadata!.name!,
    HOME: identity.uid === 0 ? '/root' : '/',
    ...env,
  };
  const stateDir = path.join(l.podDir, 'containers', c.name);
  const rootDir = path.join(stateDir, 'rootfs');
  await fs.mkdir(rootDir, { recursive: true, mode: 0o700 });
  const mounts = await mountsFor(l, env);
  const setpriv = setprivArgs(identity);
  const script = launcherScript({
    rootDir,
    stateDir,
    hostname: pod.spec?.hostname ?? pod.metadata!.name!,
    hostsFile: node.hostsFile,
    resolvConf: node.resolvConf,
    mounts,
    workingDir: c.workingDir || '/',
    setpriv,
    shimPath: node.shimPath,
    podIP: l.podIP,
    argv,
    readOnlyRoot: !!c.securityContext?.readOnlyRootFilesystem,
    executables: image && { root: image.root, dirs: image.maskedDirs },
  });
  const scriptPath = path.join(stateDir, 'launch.sh');
  await fs.writeFile(scriptPath, script, { mode: 0o700 });
  await fs.rm(path.join(stateDir, 'setup-error'), { force: true });
  await fs.mkdir(path.dirname(l.logFile), { recursive: true });
  const proc = startProcess(sandboxCommand(scriptPath), procEnv, l.logFile);
  return {
    proc,
    stateDir,
    exec: (cmd, timeoutMs) => {
      const tail = containerExec({
        setpriv,
        shimPath: node.shimPath,
        podIP: l.podIP,
        argv: cmd,
      });
      return runWithTimeout(
        [
          '/usr/bin/nsenter',
          `--target=${proc.pid}`,
          '--mount',
          '--uts',
          '--root',
          '--wd',
          '--',
          ...tail,
        ],
        procEnv,
        timeoutMs,
      );
    },
  };
}

/** The launcher's own failure (building the root), if that is why the process ended. */
export async function setupError(
  stateDir: string,
): Promise<string | undefined> {
  return fs.readFile(path.join(stateDir, 'setup-error'), 'utf8').then(
    s => s.trim(),
    () => undefined,
  );
}

/** The runtime's message when the root was built but its command could not be started (StartError). */
export async function startError(
  stateDir: string,
): Promise<string | undefined> {
  return fs.readFile(path.join(stateDir, START_ERROR_FILE), 'utf8').then(
    s => s.trim(),
    () => undefined,
  );
}

export { ContainerConfigError };
