import * as path from 'node:path';
import { sh } from './shell';

export interface SandboxMount {
  source: string;
  /** absolute path inside the container */
  target: string;
  readOnly: boolean;
  /** bind a single file (subPath onto a file) rather than a directory */
  file: boolean;
}

export interface SandboxSpec {
  /** an empty directory on the host (under the kubelet's dataDir) that becomes the container's tmpfs root */
  rootDir: string;
  /** where the launcher leaves `setup-error` when building the root fails */
  stateDir: string;
  hostname: string;
  hostsFile: string;
  resolvConf: string;
  mounts: SandboxMount[];
  workingDir: string;
  /** setpriv arguments for the identity */
  setpriv: string[];
  /** LD_PRELOAD shim on the host, or '' for none */
  shimPath: string;
  podIP: string;
  argv: string[];
  /** securityContext.readOnlyRootFilesystem */
  readOnlyRoot?: boolean;
  /** a restricted image: these executable directories show only what `root` holds at their paths */
  executables?: { root: string; dirs: string[] };
}

/** Where the shim is visible inside the container root. */
export const SHIM_IN_ROOT = '/.kube-sim/libkubesim.so';

/**
 * The runtime's own tools, bound into every root: a real runtime drops privileges and sets the
 * environment itself, so they must not depend on what the image holds.
 */
const RUNTIME_TOOLS = { setpriv: '/usr/bin/setpriv', env: '/usr/bin/env' };
const toolInRoot = (tool: keyof typeof RUNTIME_TOOLS) => `/.kube-sim/${tool}`;

const SYSTEM_DIRS = [
  'usr',
  'bin',
  'sbin',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'etc',
];
const DEV_NODES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

/** The command that starts `launcher.sh` in fresh mount and UTS namespaces. */
export function sandboxCommand(script: string): string[] {
  return [
    '/usr/bin/unshare',
    '--mount',
    '--uts',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    script,
  ];
}

/** The tail of a command that runs as the container inside its root: used by the launcher and by exec. */
export function containerExec(
  spec: Pick<SandboxSpec, 'setpriv' | 'shimPath' | 'podIP' | 'argv'>,
): string[] {
  const pre = spec.shimPath
    ? [
        toolInRoot('env'),
        `LD_PRELOAD=${SHIM_IN_ROOT}`,
        `KUBE_SIM_POD_IP=${spec.podIP}`,
      ]
    : [];
  return [toolInRoot('setpriv'), ...spec.setpriv, '--', ...pre, ...spec.argv];
}

/**
 * A restricted image's executable directories: each bound read-only from the kubelet's copy of exactly
 * the image's executables, over the overlay of the host's, so that neither PATH nor an absolute path
 * reaches a tool the image lacks.
 */
function maskExecutables(x: { root: string; dirs: string[] }): string[] {
  return x.dirs.flatMap(d => [
    `run /usr/bin/mount --bind ${sh(path.posix.join(x.root, d))} "$R"${sh(d)}`,
    `run /usr/bin/mount -o remount,bind,ro "$R"${sh(d)}`,
  ]);
}

/** Where the launcher leaves the runtime's message when the command cannot be started (StartError). */
export const START_ERROR_FILE = 'start-error';

/** The message containerd and runc give for a command they cannot start, as the container status shows it. */
const startErrorMessage = (detail: string) =>
  `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${detail}: unknown`;

/**
 * Looks the command up in the finished root as the runtime does before it starts the process: a name
 * without a slash on the container's PATH (the launcher's environment is the container's), a path as
 * it is (relative to workingDir). A command that is not there never starts: StartError, exit code 128.
 */
function findCommand(cmd: string, workingDir: string): string[] {
  const quoted = JSON.stringify(cmd);
  const fail = (detail: string) =>
    `{ printf '%s\n' ${sh(startErrorMessage(detail))} > "$STATE/${START_ERROR_FILE}"; exit 128; }`;
  if (cmd.includes('/')) {
    const inRoot = path.posix.resolve(workingDir, cmd);
    return [
      `[ -e "$R"${sh(inRoot)} ] || ${fail(`${quoted}: stat ${cmd}: no such file or directory`)}`,
      `[ -f "$R"${sh(inRoot)} ] && [ -x "$R"${sh(inRoot)} ] || ${fail(`${quoted}: permission denied`)}`,
    ];
  }
  return [
    'found=',
    'IFS=:',
    // an empty PATH entry means the working directory, as in execvp
    `for d in $PATH; do [ -n "$d" ] || d=${sh(workingDir)}; if [ -f "$R$d"/${sh(cmd)} ] && [ -x "$R$d"/${sh(cmd)} ]; then found=1; break; fi; done`,
    "IFS=' \t\n'",
    `[ -n "$found" ] || ${fail(`${quoted}: executable file not found in $PATH`)}`,
  ];
}

/**
 * A /bin/sh script that builds the container's root: a private tmpfs with the host's system directories
 * bound read-only, a minimal /dev, /proc, private /tmp, the cluster hosts file, the volumes at their
 * mountPaths, then chroots into it and drops to the pod's identity. The container env comes through
 * the process environment untouched, so the script uses absolute paths and resets IFS.
 */
export function launcherScript(s: SandboxSpec): string {
  const R = s.rootDir;
  const L: string[] = [
    '#!/bin/sh',
    "IFS=' \t\n'",
    `R=${sh(R)}`,
    `STATE=${sh(s.stateDir)}`,
    'fail() { printf "%s\\n" "$*" > "$STATE/setup-error"; exit 128; }',
    `/usr/bin/rm -f "$STATE/${START_ERROR_FILE}"`,
    'run() { "$@" 2>>"$STATE/setup-log" || fail "$* failed: $(/usr/bin/tail -n 1 "$STATE/setup-log")"; }',
    '/usr/bin/rm -f "$STATE/setup-error"',
    'run /usr/bin/mount -t tmpfs -o mode=0755 tmpfs "$R"',
    `run /usr/bin/hostname ${sh(s.hostname)}`,
  ];
  // The host's system directories are the "image": each is an overlay whose lower layer is the host
  // directory and whose upper layer lives in a private tmpfs, so the container may write anywhere (as in
  // a container's writable layer, e.g. mkdir for a mountPath under /etc) without touching the host.
  L.push(
    'LAYERS="$STATE/layers"',
    'run /usr/bin/mkdir -p "$LAYERS"',
    'run /usr/bin/mount -t tmpfs -o mode=0700 tmpfs "$LAYERS"',
  );
  for (const d of SYSTEM_DIRS) {
    L.push(
      `if [ -L /${d} ]; then run /usr/bin/ln -s "$(/usr/bin/readlink /${d})" "$R/${d}";`,
      `elif [ -d /${d} ]; then run /usr/bin/mkdir -p "$R/${d}" "$LAYERS/${d}/upper" "$LAYERS/${d}/work";`,
      `  run /usr/bin/mount -t overlay overlay -o "lowerdir=/${d},upperdir=$LAYERS/${d}/upper,workdir=$LAYERS/${d}/work" "$R/${d}"; fi`,
    );
  }
  if (s.executables) L.push(...maskExecutables(s.executables));
  L.push(
    'run /usr/bin/mkdir -p "$R/dev/pts" "$R/dev/shm" "$R/proc" "$R/sys" "$R/run" "$R/var/tmp" "$R/home" "$R/root" "$R/.kube-sim"',
  );
  L.push(
    'run /usr/bin/chmod 1777 "$R/dev/shm" "$R/var/tmp"',
    'run /usr/bin/chmod 0700 "$R/root"',
  );
  L.push('run /usr/bin/mkdir -m 1777 "$R/tmp"');
  for (const n of DEV_NODES) {
    L.push(
      `run /usr/bin/touch "$R/dev/${n}"`,
      `run /usr/bin/mount --bind /dev/${n} "$R/dev/${n}"`,
    );
  }
  L.push(
    'run /usr/bin/ln -s /proc/self/fd "$R/dev/fd"',
    'run /usr/bin/ln -s /proc/self/fd/0 "$R/dev/stdin"',
    'run /usr/bin/ln -s /proc/self/fd/1 "$R/dev/stdout"',
    'run /usr/bin/ln -s /proc/self/fd/2 "$R/dev/stderr"',
    'run /usr/bin/mount -t proc -o nosuid,nodev,noexec proc "$R/proc"',
    'run /usr/bin/mount --bind /sys "$R/sys"',
    'run /usr/bin/mount -o remount,bind,ro "$R/sys"',
    `run /usr/bin/mount --bind ${sh(s.hostsFile)} "$R/etc/hosts"`,
    `run /usr/bin/mount --bind ${sh(s.resolvConf)} "$R/etc/resolv.conf"`,
  );
  // Parents before children, so a volume mounted inside another volume's mountPath stays visible.
  const mounts = [...s.mounts].sort(
    (a, b) => a.target.split('/').length - b.target.split('/').length,
  );
  for (const m of mounts) {
    const t = `"$R"${sh(path.posix.normalize(m.target))}`;
    if (m.file) {
      L.push(
        `run /usr/bin/mkdir -p "$(/usr/bin/dirname ${t})"`,
        `[ -e ${t} ] || run /usr/bin/touch ${t}`,
      );
    } else {
      L.push(`run /usr/bin/mkdir -p ${t}`);
    }
    L.push(`run /usr/bin/mount --bind ${sh(m.source)} ${t}`);
    if (m.readOnly) L.push(`run /usr/bin/mount -o remount,bind,ro ${t}`);
  }
  for (const [tool, host] of Object.entries(RUNTIME_TOOLS)) {
    const inRoot = toolInRoot(tool as keyof typeof RUNTIME_TOOLS);
    L.push(
      `run /usr/bin/touch "$R${inRoot}"`,
      `run /usr/bin/mount --bind ${sh(host)} "$R${inRoot}"`,
    );
  }
  if (s.shimPath) {
    L.push(
      `run /usr/bin/touch "$R${SHIM_IN_ROOT}"`,
      `run /usr/bin/mount --bind ${sh(s.shimPath)} "$R${SHIM_IN_ROOT}"`,
    );
  }
  L.push(`run /usr/bin/mkdir -p "$R"${sh(s.workingDir)}`);
  if (s.readOnlyRoot) {
    L.push('run /usr/bin/mount -o remount,ro "$R"');
    for (const d of SYSTEM_DIRS)
      L.push(
        `if [ ! -L /${d} ] && [ -d /${d} ]; then run /usr/bin/mount -o remount,ro "$R/${d}"; fi`,
      );
  }
  L.push(...findCommand(s.argv[0], s.workingDir));
  const tail = containerExec(s).map(sh).join(' ');
  L.push(
    `exec /usr/bin/unshare --root="$R" --wd=${sh(s.workingDir)} -- ${tail}`,
  );
  return `${L.join('\n')}\n`;
}
