import type { V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnvSources } from '../env/containerEnv';
import { ImageCatalog } from '../image/contents';
import { UnknownPackageError } from '../image/debianPackages';
import { readCriLog, renderEntries } from '../logs/criLog';
import { NodeFacts, startContainer, startError } from './container';

// Real processes in real mount namespaces (needs root), on a Debian host whose dpkg knows the packages.
const noSources: EnvSources = {
  configMap: async () => undefined,
  secret: async () => undefined,
  services: async () => [],
  masterService: async () => ({
    spec: { clusterIP: '127.9.64.1', ports: [{ port: 443, protocol: 'TCP' }] },
  }),
};

const SLIM = 'registry.test/slim:1';
const SLIM_PACKAGES = ['dash', 'coreutils', 'mawk', 'rsync'];

describe('a restricted image: only its packages as executables', () => {
  let dir: string;
  let node: NodeFacts;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelet-image-'));
    await fs.writeFile(path.join(dir, 'hosts'), '127.0.0.1 localhost\n');
    await fs.writeFile(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    node = {
      nodeName: 'n1',
      hostIP: '127.9.0.1',
      hostsFile: path.join(dir, 'hosts'),
      resolvConf: path.join(dir, 'resolv.conf'),
      shimPath: '',
      allocatable: { cpu: '2', memory: '1Gi' },
      images: await ImageCatalog.prepare(
        { [SLIM]: { packages: SLIM_PACKAGES } },
        path.join(dir, 'kubelet'),
      ),
    };
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Runs a command as uid 1000 in a container of `image`; its output, exit code and start error. */
  async function run(name: string, image: string, command: string[]) {
    const pod: V1Pod = {
      metadata: { name, namespace: 'ns', uid: `uid-${name}` },
      spec: {
        securityContext: { runAsUser: 1000, runAsGroup: 1000 },
        containers: [{ name: 'c', image, command }],
      },
    };
    const logFile = path.join(dir, `${name}.log`);
    const rc = await startContainer(node, noSources, {
      pod,
      container: pod.spec!.containers[0],
      podIP: '127.9.1.5',
      podDir: path.join(dir, 'pods', name),
      logFile,
      volumes: new Map(),
    });
    const exit = await rc.proc.exited;
    const out = renderEntries(await readCriLog(logFile), {}).toString();
    return {
      out,
      exitCode: exit.exitCode,
      startError: await startError(rc.stateDir),
    };
  }
  const sh = (name: string, image: string, script: string) =>
    run(name, image, ['/bin/sh', '-c', script]);

  it('runs a tool of its packages, found on its PATH, with the host libraries it links', async () => {
    const { out, exitCode } = await sh(
      'listed',
      SLIM,
      'echo "PATH=$PATH"; rsync --version | head -n 1; /usr/bin/rsync --version >/dev/null && echo abs-ok; ' +
        // awk is an alternatives link: the image's own choice (mawk), whatever the host chose
        'awk "BEGIN { print \\"awk-ok\\" }"; readlink -f /usr/bin/awk',
    );
    expect(out).toContain('PATH=/usr/sbin:/usr/bin:/bin\n');
    expect(out).toMatch(/^rsync {2}version \d/m);
    expect(out).toContain('abs-ok');
    expect(out).toContain('awk-ok\n/usr/bin/mawk\n');
    expect(exitCode).toBe(0);
  });

  it("cannot run a tool outside its packages, by PATH nor by absolute path, with the shell's own error", async () => {
    // grep and stunnel are on this host, in /usr/bin, and not in the image
    await expect(fs.access('/usr/bin/grep')).resolves.toBeUndefined();
    const { out, exitCode } = await sh(
      'unlisted',
      SLIM,
      // one stream, so that each error comes before its rc
      'exec 2>&1; grep -q x /dev/null; echo "rc=$?"; /usr/bin/grep -q x /dev/null; echo "rc=$?"; ' +
        '/bin/stunnel -version; echo "rc=$?"; ' +
        'PATH=/usr/local/bin:/usr/local/sbin:$PATH; command -v grep || echo no-grep; ' +
        // the runtime's own helpers are not the image's
        'command -v setpriv || echo no-setpriv; touch /usr/bin/x 2>/dev/null || echo ro',
    );
    expect(out).toContain('/bin/sh: 1: grep: not found\nrc=127\n');
    expect(out).toContain('/bin/sh: 1: /usr/bin/grep: not found\nrc=127\n');
    expect(out).toContain('/bin/sh: 1: /bin/stunnel: not found\nrc=127\n');
    expect(out).toContain('no-grep\nno-setpriv\nro\n');
    expect(exitCode).toBe(0);
  });

  it("shows exactly the packages' executables in /usr/bin", async () => {
    const { out } = await sh('listing', SLIM, 'cd /usr/bin && echo *');
    const seen = out.trim().split(' ').sort();
    expect(seen).toEqual(
      expect.arrayContaining([
        'dash',
        'sh',
        'rsync',
        'cat',
        'mawk',
        'awk',
        'nawk',
      ]),
    );
    expect(seen).not.toContain('grep');
    expect(seen).not.toContain('node');
    // every name there is a file of one of the packages (or its alternatives link)
    const { execFileSync } = require('node:child_process');
    const listed = new Set(
      (
        execFileSync('dpkg-query', ['-L', ...SLIM_PACKAGES], {
          encoding: 'utf8',
        }) as string
      )
        .split('\n')
        .filter(l => /^\/(usr\/)?bin\/[^/]+$/.test(l))
        .map(l => path.basename(l)),
    );
    expect(seen.filter(n => !listed.has(n)).sort()).toEqual(['awk', 'nawk']);
  });

  it('does not start a container whose command the image lacks: StartError, as containerd says it', async () => {
    const byName = await run('start-name', SLIM, ['stunnel', '-version']);
    expect(byName).toEqual({
      out: '',
      exitCode: 128,
      startError:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
        'unable to start container process: exec: "stunnel": executable file not found in $PATH: unknown',
    });
    const byPath = await run('start-path', SLIM, ['/usr/bin/grep', 'x']);
    expect(byPath.exitCode).toBe(128);
    expect(byPath.startError).toMatch(
      /exec: "\/usr\/bin\/grep": stat \/usr\/bin\/grep: no such file or directory: unknown$/,
    );
    // a file that is there but not executable (the hosts file bound at /etc/hosts)
    expect(
      (await run('start-noexec', SLIM, ['/etc/hosts'])).startError,
    ).toMatch(/exec: "\/etc\/hosts": permission denied: unknown$/);
    // a command the image has starts as usual
    expect(await run('start-ok', SLIM, ['rsync', '--version'])).toMatchObject({
      exitCode: 0,
      startError: undefined,
    });
  });

  it("leaves other images as before: the host's tools", async () => {
    const { out } = await sh(
      'other',
      'busybox',
      'echo "PATH=$PATH"; grep -c . /etc/hostname >/dev/null && echo grep-ok',
    );
    expect(out).toContain(
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n',
    );
    expect(out).toContain('grep-ok');
  });

  it('refuses an image whose package the host does not have', async () => {
    await expect(
      ImageCatalog.prepare(
        { 'x:1': { packages: ['rsync', 'no-such-package-here'] } },
        path.join(dir, 'k2'),
      ),
    ).rejects.toThrow(UnknownPackageError);
  });
});
