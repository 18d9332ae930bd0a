import {
  CoreV1Api,
  KubeConfig,
  Log,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Kubelet } from '../contracts';
import { buildShim } from '../network';
import type { KeyPair } from '../pki';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from '../testing/apiServer';
import { waitFor as waitUntil } from '../testing/waitFor';
import { startKubelet } from '.';

// The kubelet against a real kube-sim API server, running real processes (needs root). No controllers:
// the test binds PVs and PVCs itself and creates pods with spec.nodeName, as the scheduler would.
jest.setTimeout(120_000);

const NODE = 'kt-node-1';
const NS = 'kt';

let dir: string;
let kubelet: Kubelet;
let core: CoreV1Api;
let kc: KubeConfig;
let server: TestApiServer;
let nodeIP: string;
let apiClientCert: KeyPair;
let caPem: string;

// real processes start slower than controllers react: a longer default than the shared helper's
const waitFor = <T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
) => waitUntil(what, fn, timeoutMs);

const getPod = (name: string) =>
  core.readNamespacedPod({ namespace: NS, name });

async function waitPhase(
  name: string,
  phase: string,
  timeoutMs?: number,
): Promise<V1Pod> {
  return waitFor(
    `pod ${name} ${phase}`,
    async () => {
      const p = await getPod(name);
      return p.status?.phase === phase ? p : undefined;
    },
    timeoutMs,
  );
}

async function logsOf(name: string, container?: string): Promise<string> {
  return core.readNamespacedPodLog({ namespace: NS, name, container });
}

function pod(name: string, spec: V1PodSpec): V1Pod {
  return {
    metadata: { name, namespace: NS },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, ...spec },
  } as V1Pod;
}

const sh = (script: string) => ({
  name: 'main',
  image: 'busybox',
  command: ['/bin/sh', '-c', script],
});

/** GET on the kubelet's own endpoint with the API server's client certificate. */
function kubeletGet(
  pathAndQuery: string,
  cert?: KeyPair,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: nodeIP,
        port: 10250,
        path: pathAndQuery,
        ca: caPem,
        cert: cert?.certPem,
        key: cert?.keyPem,
        servername: nodeIP,
      },
      res => {
        let body = '';
        res.on('data', c => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

/** A PV with hostPath and a claim bound to it, finished as the PV binder would (no controllers here). */
async function bindClaim(
  claim: string,
  pvName: string,
  pvDir: string,
): Promise<void> {
  await fs.mkdir(pvDir, { recursive: true });
  await core.createPersistentVolume({
    body: {
      metadata: { name: pvName },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: pvDir },
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'manual',
        claimRef: { namespace: NS, name: claim },
      },
    },
  });
  const pvc = await core.createNamespacedPersistentVolumeClaim({
    namespace: NS,
    body: {
      metadata: { name: claim },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        volumeName: pvName,
        storageClassName: 'manual',
      },
    },
  });
  const pv = await core.readPersistentVolume({ name: pvName });
  pv.spec!.claimRef = {
    kind: 'PersistentVolumeClaim',
    namespace: NS,
    name: claim,
    uid: pvc.metadata!.uid,
    apiVersion: 'v1',
  };
  const updatedPv = await core.replacePersistentVolume({
    name: pvName,
    body: pv,
  });
  updatedPv.status = { phase: 'Bound' };
  await core.replacePersistentVolumeStatus({ name: pvName, body: updatedPv });
  const fresh = await core.readNamespacedPersistentVolumeClaim({
    namespace: NS,
    name: claim,
  });
  fresh.status = {
    phase: 'Bound',
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '1Gi' },
  };
  await core.replaceNamespacedPersistentVolumeClaimStatus({
    namespace: NS,
    name: claim,
    body: fresh,
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelet-it-'));
  server = await startTestApiServer({
    name: 'kt',
    tokens: {
      admin: MASTER,
      node: {
        username: `system:node:${NODE}`,
        groups: ['system:nodes', 'system:masters', 'system:authenticated'],
      },
    },
  });
  const { ca, plan } = server;
  nodeIP = plan.nodeIP;
  caPem = ca.certPem;
  apiClientCert = server.kubeletClient;
  const kubeletServing = await ca.issue({
    commonName: NODE,
    ips: [plan.nodeIP],
    usage: 'server',
  });
  kc = server.kubeConfig('admin');
  core = kc.makeApiClient(CoreV1Api);
  const hostsFile = path.join(dir, 'hosts');
  await fs.writeFile(
    hostsFile,
    `127.0.0.1 localhost\n${plan.nodeIP} node.kt.test\n`,
  );
  kubelet = await startKubelet({
    kubeConfig: server.kubeConfig('node'),
    clusterName: 'kt',
    nodeName: NODE,
    address: plan,
    dataDir: path.join(dir, 'kubelet'),
    hostsFile,
    shimPath: await buildShim(),
    ca,
    serving: kubeletServing,
  });
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await waitFor('default service account', () =>
    core.readNamespacedServiceAccount({ namespace: NS, name: 'default' }),
  );
});

afterAll(async () => {
  await kubelet?.stop();
  await server?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('kubelet', () => {
  it('registers a Ready node with its address and kubelet endpoint', async () => {
    const node = await core.readNode({ name: NODE });
    expect(node.status?.addresses).toEqual(
      expect.arrayContaining([
        { type: 'InternalIP', address: nodeIP },
        { type: 'Hostname', address: NODE },
      ]),
    );
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
    expect(node.status?.conditions?.find(c => c.type === 'Ready')?.status).toBe(
      'True',
    );
    expect(node.status?.allocatable?.pods).toBe('110');
    expect(node.status?.nodeInfo?.kubeletVersion).toMatch(/^v1\./);
  });

  it('writes into a bound PVC as a non-root user with fsGroup, and a second pod reads it back', async () => {
    const pvDir = path.join(dir, 'pv-data');
    await bindClaim('data', 'kt-pv', pvDir);

    const volumes = [
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    ];
    const mount = [{ name: 'data', mountPath: '/data' }];
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('writer', {
        restartPolicy: 'Never',
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 1000,
          fsGroup: 2000,
          runAsNonRoot: true,
        },
        volumes,
        containers: [
          {
            ...sh('mkdir -p /data/sub && echo hello > /data/sub/file && id -G'),
            volumeMounts: mount,
          },
        ],
      }),
    });
    const done = await waitPhase('writer', 'Succeeded');
    expect(done.status?.containerStatuses?.[0].state?.terminated).toMatchObject(
      { exitCode: 0, reason: 'Completed' },
    );
    const st = await fs.stat(path.join(pvDir, 'sub', 'file'));
    expect(st.uid).toBe(1000);
    expect(st.gid).toBe(2000); // inherited through the setgid directory
    expect(await logsOf('writer')).toBe('1000 2000\n');

    await core.createNamespacedPod({
      namespace: NS,
      body: pod('reader', {
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1001, fsGroup: 2000 },
        volumes,
        containers: [
          {
            ...sh(
              'test "$(cat /data/sub/file)" = hello && echo >> /data/sub/file',
            ),
            volumeMounts: [{ ...mount[0], readOnly: false }],
          },
        ],
      }),
    });
    await waitPhase('reader', 'Succeeded');
    expect(await fs.readFile(path.join(pvDir, 'sub', 'file'), 'utf8')).toBe(
      'hello\n\n',
    );
    await expect(fs.stat('/data')).rejects.toThrow();
  });

  it('stays ContainerCreating with FailedMount while the claim is missing, then starts', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('waits-for-claim', {
        restartPolicy: 'Never',
        volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'later' } }],
        containers: [
          { ...sh('true'), volumeMounts: [{ name: 'v', mountPath: '/v' }] },
        ],
      }),
    });
    await waitFor('FailedMount event', async () => {
      const evs = await core.listNamespacedEvent({
        namespace: NS,
        fieldSelector: 'involvedObject.name=waits-for-claim',
      });
      return evs.items.find(
        e =>
          e.reason === 'FailedMount' &&
          /persistentvolumeclaim "later" not found/.test(e.message ?? ''),
      );
    });
    const p = await getPod('waits-for-claim');
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0].state?.waiting?.reason).toBe(
      'ContainerCreating',
    );
    await bindClaim('later', 'later-pv', path.join(dir, 'later-data'));
    await waitPhase('waits-for-claim', 'Succeeded');
  });

  it('builds env from env, envFrom, the downward API and service variables, and expands $(VAR) in args', async () => {
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'cfg' }, data: { COLOR: 'blue', '1bad': 'x' } },
    });
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'sec' }, stringData: { token: 't0ps3cret' } },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('envs', {
        restartPolicy: 'Never',
        serviceAccountName: 'default',
        containers: [
          {
            name: 'main',
            image: 'x',
            command: ['/bin/sh', '-c'],
            args: [
              'echo "$(GREETING) name=$MY_NAME ns=$MY_NS uid=$MY_UID ip=$MY_IP host=$MY_HOST node=$MY_NODE sa=$MY_SA color=$COLOR token=$TOKEN"',
            ],
            envFrom: [{ configMapRef: { name: 'cfg' } }],
            env: [
              {
                name: 'MY_NAME',
                valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
              },
              {
                name: 'MY_NS',
                valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
              },
              {
                name: 'MY_UID',
                valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } },
              },
              {
                name: 'MY_IP',
                valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
              },
              {
                name: 'MY_HOST',
                valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } },
              },
              {
                name: 'MY_NODE',
                valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
              },
              {
                name: 'MY_SA',
                valueFrom: {
                  fieldRef: { fieldPath: 'spec.serviceAccountName' },
                },
              },
              {
                name: 'TOKEN',
                valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } },
              },
              { name: 'GREETING', value: 'hi-$(COLOR)' },
            ],
          },
        ],
      }),
    });
    const p = await waitPhase('envs', 'Succeeded');
    const podIP = p.status!.podIP!;
    expect(podIP).toMatch(/^127\.\d+\.(\d+)\.\d+$/);
    expect(p.status?.podIPs).toEqual([{ ip: podIP }]);
    expect(p.status?.hostIP).toBe(nodeIP);
    expect(await logsOf('envs')).toBe(
      `hi-blue name=envs ns=${NS} uid=${p.metadata!.uid} ip=${podIP} host=${nodeIP} node=${NODE} sa=default color=blue token=t0ps3cret\n`,
    );
  });

  it('projects secret files with their modes and fsGroup', async () => {
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'files' }, stringData: { key: 'k', crt: 'c' } },
    });
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('secret-modes', {
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1000, fsGroup: 3000 },
        volumes: [
          {
            name: 's',
            secret: {
              secretName: 'files',
              defaultMode: 0o400,
              items: [
                { key: 'key', path: 'tls.key' },
                { key: 'crt', path: 'tls.crt', mode: 0o644 },
              ],
            },
          },
        ],
        containers: [
          {
            ...sh(
              'stat -L -c "%n %a %g" /etc/tls/tls.key /etc/tls/tls.crt; cat /etc/tls/tls.key; touch /etc/tls/x 2>/dev/null || echo ro',
            ),
            volumeMounts: [{ name: 's', mountPath: '/etc/tls' }],
          },
        ],
      }),
    });
    await waitPhase('secret-modes', 'Succeeded');
    expect(await logsOf('secret-modes')).toBe(
      '/etc/tls/tls.key 440 3000\n/etc/tls/tls.crt 644 3000\nkro\n',
    );
  });

  it('reports readiness from a tcpSocket probe against the pod IP', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('web', {
        containers: [
          {
            name: 'web',
            image: 'x',
            // listens only after a delay, so the pod is Running but not Ready first
            command: [
              '/bin/sh',
              '-c',
              'sleep 1; exec socat TCP-LISTEN:8080,bind=$(POD_IP),fork,reuseaddr EXEC:/bin/cat',
            ],
            env: [
              {
                name: 'POD_IP',
                valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
              },
            ],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: {
              tcpSocket: { port: 'http' },
              periodSeconds: 1,
              failureThreshold: 1,
            },
          },
        ],
      }),
    });
    const running = await waitPhase('web', 'Running');
    expect(
      running.status?.conditions?.find(c => c.type === 'Ready')?.status,
    ).toBe('False');
    const ready = await waitFor('web Ready', async () => {
      const p = await getPod('web');
      return p.status?.conditions?.find(c => c.type === 'Ready')?.status ===
        'True'
        ? p
        : undefined;
    });
    expect(ready.status?.containerStatuses?.[0]).toMatchObject({
      ready: true,
      started: true,
    });
    expect(ready.status?.conditions?.map(c => c.type).sort()).toEqual([
      'ContainersReady',
      'Initialized',
      'PodScheduled',
      'Ready',
    ]);
  });

  it('runs init containers in order, restarts OnFailure with a growing restartCount, and fails under Never', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('retry', {
        restartPolicy: 'OnFailure',
        volumes: [{ name: 'scratch', emptyDir: {} }],
        initContainers: [
          {
            ...sh('echo one > /s/order'),
            name: 'init-1',
            volumeMounts: [{ name: 'scratch', mountPath: '/s' }],
          },
          {
            ...sh('echo two >> /s/order'),
            name: 'init-2',
            volumeMounts: [{ name: 'scratch', mountPath: '/s' }],
          },
        ],
        containers: [
          {
            ...sh(
              'cat /s/order; [ -f /s/once ] && exit 0; touch /s/once; exit 3',
            ),
            volumeMounts: [{ name: 'scratch', mountPath: '/s' }],
          },
        ],
      }),
    });
    const p = await waitPhase('retry', 'Succeeded');
    const cs = p.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    expect(
      p.status?.initContainerStatuses?.map(s => s.state?.terminated?.exitCode),
    ).toEqual([0, 0]);
    expect(await logsOf('retry')).toBe('one\ntwo\n');
    expect(
      await core.readNamespacedPodLog({
        namespace: NS,
        name: 'retry',
        container: 'main',
        previous: true,
      }),
    ).toBe('one\ntwo\n');

    await core.createNamespacedPod({
      namespace: NS,
      body: pod('never', {
        restartPolicy: 'Never',
        containers: [sh('exit 7')],
      }),
    });
    const failed = await waitPhase('never', 'Failed');
    expect(failed.status?.containerStatuses?.[0]).toMatchObject({
      restartCount: 0,
      state: { terminated: { exitCode: 7, reason: 'Error' } },
    });
  });

  it('restarts a container killed by fault injection and one failing its liveness probe', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('victim', {
        containers: [sh('echo started; exec sleep 1000')],
      }),
    });
    await waitFor(
      'victim running',
      async () =>
        (await getPod('victim')).status?.containerStatuses?.[0].state?.running,
    );
    await kubelet.killPod(NS, 'victim', { signal: 'SIGKILL' });
    const restarted = await waitFor('victim restarted', async () => {
      const s = (await getPod('victim')).status?.containerStatuses?.[0];
      return s?.restartCount === 1 && s.state?.running ? s : undefined;
    });
    expect(restarted.lastState?.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });

    await core.createNamespacedPod({
      namespace: NS,
      body: pod('unhealthy', {
        restartPolicy: 'Never',
        containers: [
          {
            ...sh(
              'touch /tmp/healthy; sleep 1; rm /tmp/healthy; exec sleep 1000',
            ),
            livenessProbe: {
              exec: { command: ['cat', '/tmp/healthy'] },
              periodSeconds: 1,
              failureThreshold: 2,
            },
          },
        ],
      }),
    });
    const dead = await waitPhase('unhealthy', 'Failed');
    expect(
      dead.status?.containerStatuses?.[0].state?.terminated?.exitCode,
    ).toBe(143);
    const evs = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=unhealthy',
    });
    expect(evs.items.map(e => e.reason)).toEqual(
      expect.arrayContaining(['Created', 'Started', 'Unhealthy', 'Killing']),
    );
  });

  it('refuses runAsNonRoot without a non-root user with CreateContainerConfigError', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('rootish', {
        securityContext: { runAsNonRoot: true },
        containers: [sh('true')],
      }),
    });
    const s = await waitFor('config error', async () => {
      const cs = (await getPod('rootish')).status?.containerStatuses?.[0];
      return cs?.state?.waiting?.reason === 'CreateContainerConfigError'
        ? cs
        : undefined;
    });
    expect(s.state?.waiting?.message).toMatch(
      /runAsNonRoot and image will run as root/,
    );
    expect((await getPod('rootish')).status?.phase).toBe('Pending');
  });

  it('serves logs on its own endpoint only to clients with a certificate of the cluster CA', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('chatty', {
        restartPolicy: 'Never',
        containers: [sh('for i in 1 2 3 4 5; do echo line $i; done')],
      }),
    });
    await waitPhase('chatty', 'Succeeded');
    const r = await kubeletGet(
      `/containerLogs/${NS}/chatty/main?tailLines=2`,
      apiClientCert,
    );
    expect(r).toEqual({ status: 200, body: 'line 4\nline 5\n' });
    const ts = await kubeletGet(
      `/containerLogs/${NS}/chatty/main?timestamps=true&limitBytes=40`,
      apiClientCert,
    );
    expect(ts.body).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z line 1\n/);
    expect(
      (await kubeletGet(`/containerLogs/${NS}/nope/main`, apiClientCert))
        .status,
    ).toBe(404);
    expect(
      (await kubeletGet(`/containerLogs/${NS}/chatty/nope`, apiClientCert))
        .status,
    ).toBe(404);
    await expect(
      kubeletGet(`/containerLogs/${NS}/chatty/main`),
    ).rejects.toThrow();
  });

  it('follows logs through the API server until the container ends', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('ticker', {
        restartPolicy: 'Never',
        containers: [sh('for i in 1 2 3; do echo tick $i; sleep 0.3; done')],
      }),
    });
    await waitFor(
      'ticker started',
      async () =>
        (await getPod('ticker')).status?.containerStatuses?.[0].state?.running,
    );
    const out = new PassThrough();
    let text = '';
    out.on('data', c => (text += c));
    const ended = new Promise<void>(resolve => out.on('end', () => resolve()));
    await new Log(kc).log(NS, 'ticker', 'main', out, { follow: true });
    await ended;
    expect(text).toBe('tick 1\ntick 2\ntick 3\n');
  });

  it('terminates a deleted pod gracefully and removes it', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: pod('graceful', {
        terminationGracePeriodSeconds: 30,
        containers: [
          sh(
            'trap "exit 0" TERM; echo trapped; while true; do sleep 0.1; done',
          ),
        ],
      }),
    });
    await waitFor(
      'graceful trapped',
      async () => (await logsOf('graceful').catch(() => '')) === 'trapped\n',
    );
    const t0 = Date.now();
    await core.deleteNamespacedPod({
      namespace: NS,
      name: 'graceful',
      gracePeriodSeconds: 30,
    });
    const uid = (await getPod('graceful')).metadata!.uid!;
    await waitFor('graceful gone', async () =>
      getPod('graceful').then(
        () => false,
        e => (e as { code?: number }).code === 404,
      ),
    );
    // the kubelet's own per-pod data (volumes, root mount points, logs) goes with the pod
    await waitFor('pod dir removed', async () =>
      fs.stat(path.join(dir, 'kubelet', 'pods', uid)).then(
        () => false,
        () => true,
      ),
    );
    expect(Date.now() - t0).toBeLessThan(10_000);

    await core.createNamespacedPod({
      namespace: NS,
      body: pod('stubborn', {
        containers: [
          sh('trap "" TERM; echo trapped; while true; do sleep 0.1; done'),
        ],
      }),
    });
    // "running" is reported once the process exists; wait until the shell has installed its trap.
    await waitFor(
      'stubborn trapped',
      async () => (await logsOf('stubborn').catch(() => '')) === 'trapped\n',
    );
    const t1 = Date.now();
    await core.deleteNamespacedPod({
      namespace: NS,
      name: 'stubborn',
      gracePeriodSeconds: 1,
    });
    await waitFor('stubborn gone', async () =>
      getPod('stubborn').then(
        () => false,
        e => (e as { code?: number }).code === 404,
      ),
    );
    expect(Date.now() - t1).toBeGreaterThanOrEqual(900);
    const evs = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=stubborn',
    });
    expect(evs.items.some(e => e.reason === 'Killing')).toBe(true);
  });
});
