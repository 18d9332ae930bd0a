import type { V1Pod } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EnvSources } from '../env/containerEnv';
import { readCriLog, renderEntries } from '../logs/criLog';
import { ContainerConfigError, NodeFacts, startContainer } from './container';

// Real processes in real mount namespaces (needs root). The API is out of the picture: env sources are
// given directly, which is the unit boundary of the runtime.
const noSources: EnvSources = {
  configMap: async () => undefined,
  secret: async () => undefined,
  services: async () => [],
  masterService: async () => ({
    spec: { clusterIP: '127.9.64.1', ports: [{ port: 443, protocol: 'TCP' }] },
  }),
};

describe('startContainer (sandbox)', () => {
  let dir: string;
  let node: NodeFacts;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelet-rt-'));
    await fs.writeFile(
      path.join(dir, 'hosts'),
      '127.0.0.1 localhost\n127.9.64.7 svc.ns.svc.cluster.local\n',
    );
    await fs.writeFile(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    node = {
      nodeName: 'n1',
      hostIP: '127.9.0.1',
      hostsFile: path.join(dir, 'hosts'),
      resolvConf: path.join(dir, 'resolv.conf'),
      shimPath: '',
      allocatable: { cpu: '2', memory: '1Gi' },
    };
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function run(pod: V1Pod, volumes = new Map()) {
    const logFile = path.join(dir, `${pod.metadata!.name}.log`);
    const rc = await startContainer(node, noSources, {
      pod,
      container: pod.spec!.containers[0],
      podIP: '127.9.1.5',
      podDir: path.join(dir, 'pods', pod.metadata!.uid!),
      logFile,
      volumes,
    });
    return { rc, logFile };
  }

  it('runs as the pod identity in a private root with volumes, hosts file, workingDir and env', async () => {
    const data = path.join(dir, 'data');
    const ro = path.join(dir, 'ro');
    await fs.mkdir(data);
    await fs.mkdir(ro);
    await fs.chmod(data, 0o777);
    const pod: V1Pod = {
      metadata: { name: 'p1', namespace: 'ns', uid: 'uid-1' },
      spec: {
        hostname: 'p1',
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 3000,
          supplementalGroups: [4000],
          fsGroup: 2000,
        },
        containers: [
          {
            name: 'c',
            workingDir: '/work/dir',
            command: ['/bin/sh', '-c'],
            args: [
              'echo "id=$(id -u):$(id -g):$(id -G)"; echo "pwd=$(pwd)"; echo "host=$(hostname)"; ' +
                'grep -q svc.ns.svc.cluster.local /etc/hosts && echo hosts-ok; ' +
                "printf '%s\\n' '$(MSG)' '$(LATER)' '$$(MSG)' > /data/sub/out.txt && echo wrote; " +
                'touch /ro/x 2>/dev/null || echo ro-ok; ' +
                'touch /usr/x 2>/dev/null || echo usr-denied; touch /tmp/t && echo tmp-ok; ls /etc/app/cfg >/dev/null && echo etc-mount; ' +
                'echo "k8s=$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"; echo "me=$POD_NAME/$POD_IP"; ' +
                'grep -q "^NoNewPrivs:.*1" /proc/self/status && echo nnp',
            ],
            env: [
              {
                name: 'POD_NAME',
                valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
              },
              { name: 'MSG', value: 'hello $(POD_NAME) $(LATER)' },
              { name: 'LATER', value: 'later' },
              {
                name: 'POD_IP',
                valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
              },
            ],
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts: [
              { name: 'data', mountPath: '/data/sub', subPath: 'nested' },
              { name: 'ro', mountPath: '/ro', readOnly: true },
              { name: 'ro', mountPath: '/etc/app/cfg' },
            ],
          },
        ],
      },
    };
    const vols = new Map([
      ['data', { hostPath: data, readOnly: false }],
      ['ro', { hostPath: ro, readOnly: false }],
    ]);
    const { rc, logFile } = await run(pod, vols);
    const exit = await rc.proc.exited;
    const out = renderEntries(await readCriLog(logFile), {}).toString();
    expect(out).toContain('id=1000:3000:3000 2000 4000');
    expect(out).toContain('pwd=/work/dir');
    expect(out).toContain('host=p1');
    expect(out).toContain('hosts-ok');
    expect(out).toContain('wrote');
    expect(out).toContain('ro-ok');
    expect(out).toContain('usr-denied');
    expect(out).toContain('etc-mount');
    await expect(fs.stat('/usr/x')).rejects.toThrow();
    await expect(fs.stat('/etc/app')).rejects.toThrow();
    expect(out).toContain('tmp-ok');
    expect(out).toContain('k8s=127.9.64.1:443');
    expect(out).toContain('me=p1/127.9.1.5');
    expect(out).toContain('nnp');
    expect(exit.exitCode).toBe(0);
    // An env value sees only the variables defined before it; command/args see them all.
    expect(
      await fs.readFile(path.join(data, 'nested', 'out.txt'), 'utf8'),
    ).toBe('hello p1 $(LATER)\nlater\n$(MSG)\n');
    const st = await fs.stat(path.join(data, 'nested', 'out.txt'));
    expect(st.uid).toBe(1000);
    // Nothing leaked onto the host: the mountPaths exist only inside the container's root.
    await expect(fs.stat('/data/sub')).rejects.toThrow();
    await expect(fs.stat('/work/dir')).rejects.toThrow();
  });

  it('execs inside a running container and kills the whole process group', async () => {
    const pod: V1Pod = {
      metadata: { name: 'p2', namespace: 'ns', uid: 'uid-2' },
      spec: {
        containers: [
          {
            name: 'c',
            command: [
              '/bin/sh',
              '-c',
              'echo inside > /tmp/mark; sleep 300 & sleep 300; wait',
            ],
          },
        ],
      },
    };
    const { rc } = await run(pod);
    let probe = { ok: false, message: '' };
    for (let i = 0; i < 50 && !probe.ok; i++) {
      probe = await rc.exec(['/bin/sh', '-c', 'cat /tmp/mark'], 2000);
      if (!probe.ok) await new Promise(r => setTimeout(r, 100));
    }
    expect(probe).toEqual({ ok: true, message: 'inside' });
    expect((await rc.exec(['/bin/false'], 2000)).ok).toBe(false);
    expect((await rc.exec(['/bin/sleep', '5'], 300)).message).toMatch(
      /timed out/,
    );
    rc.proc.kill('SIGTERM');
    const exit = await rc.proc.exited;
    expect(exit.exitCode).toBe(143);
    // no process of the group survived
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(-rc.proc.pid, 0);
        await new Promise(r => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });

  it('refuses runAsNonRoot without a user', async () => {
    const pod: V1Pod = {
      metadata: { name: 'p3', namespace: 'ns', uid: 'uid-3' },
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [{ name: 'c', command: ['true'] }],
      },
    };
    await expect(run(pod)).rejects.toThrow(ContainerConfigError);
  });
});
