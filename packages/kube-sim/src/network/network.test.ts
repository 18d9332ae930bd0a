import { hostIngress } from '../testing/ingress';
import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  NetworkingV1Api,
  V1Service,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { AddressPlan } from '../contracts';
import type { CertificateAuthority, KeyPair } from '../pki';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from '../testing/apiServer';
import { waitFor } from '../testing/waitFor';
import { installIngressNginxClass } from '../seed/ingressNginx';
import { RunningNetwork, startNetwork } from './network';
import { ask, TagServers } from './proxy/testServers';
import { PodProcesses } from './shim/testProcesses';
import { PASSTHROUGH_ANNOTATION, Route } from './router/table';

jest.setTimeout(90_000);
const run = promisify(execFile);

const eventually = <T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 15_000,
) => waitFor(what, fn, ms);

async function startTlsBackend(
  host: string,
  port: number,
  tag: string,
  keyPair: KeyPair,
): Promise<tls.Server> {
  const server = tls.createServer(
    { cert: keyPair.certPem, key: keyPair.keyPem },
    socket => {
      socket.on('error', () => undefined);
      socket.on('data', d => socket.end(`${tag}:${d}`));
    },
  );
  await new Promise<void>(resolve => server.listen(port, host, resolve));
  return server;
}

function tlsAsk(
  host: string,
  port: number,
  servername: string,
  ca: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let secure = false;
    const socket = tls.connect({ host, port, servername, ca }, () => {
      secure = true;
      socket.write('ping');
    });
    let out = '';
    const finish = () =>
      secure
        ? resolve(out)
        : reject(new Error('closed before the TLS handshake'));
    socket.on('data', d => (out += d));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
  });
}

describe('startNetwork against a real API server', () => {
  const clusterName = 'netit';
  const routeDomain = 'apps.netit.kube-sim.test';
  let server: TestApiServer;
  let plan: AddressPlan;
  let tmp: string;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let network: RunningNetwork;
  let caPem: string;
  let ca: CertificateAuthority;
  let backendCert: KeyPair;
  const servers = new TagServers();
  const tlsServers: tls.Server[] = [];
  let ip: (s: string) => string;
  const logs: string[] = [];

  beforeAll(async () => {
    const token = 'network-it-admin';
    server = await startTestApiServer({
      name: clusterName,
      openshift: true,
      routeDomain,
      tokens: { [token]: { ...MASTER, username: 'system:kube-proxy' } },
    });
    ({ plan, ca, caPem } = server);
    ip = s => `127.${plan.octet}.${s}`;
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'network-it-'));
    backendCert = await ca.issue({
      commonName: 'backend',
      dnsNames: [
        `secure.${routeDomain}`,
        'ingress.netit.test',
        'late.netit.test',
      ],
      usage: 'server',
    });
    kc = server.kubeConfig(token);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'ns' } } });
    await installIngressNginxClass(kc);
    network = await startNetwork({
      kubeConfig: kc,
      clusterName,
      address: plan,
      dataDir: path.join(tmp, 'data'),
      worldDir: path.join(tmp, 'world'),
      routeDomain,
      log: msg => logs.push(msg),
    });
  });

  afterAll(async () => {
    if (process.env.KUBE_SIM_TEST_LOGS)
      process.stderr.write(`${logs.join('\n')}\n`);
    await network?.stop();
    await server?.stop();
    await servers.closeAll();
    await Promise.all(tlsServers.map(s => new Promise(r => s.close(r))));
    await fs.rm(tmp, { recursive: true, force: true });
  });

  /** what a user writes for a Service without a selector: an EndpointSlice with one ready address */
  const endpointSlice = (
    service: string,
    port: { name?: string; port: number },
    address: string,
  ) =>
    kc.makeApiClient(DiscoveryV1Api).createNamespacedEndpointSlice({
      namespace: 'ns',
      body: {
        metadata: {
          generateName: `${service}-`,
          labels: { 'kubernetes.io/service-name': service },
        },
        addressType: 'IPv4',
        ports: [{ protocol: 'TCP', port: port.port, name: port.name ?? '' }],
        endpoints: [{ addresses: [address], conditions: { ready: true } }],
      },
    });

  /** a pod as a kubelet reports it: running at this address, Ready or not */
  const podAt = async (
    name: string,
    labels: Record<string, string>,
    podIP: string,
    ready: boolean,
  ) => {
    const pod = await core.createNamespacedPod({
      namespace: 'ns',
      body: {
        metadata: { name, labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ name: 'c', image: 'busybox' }],
        },
      },
    });
    return core.replaceNamespacedPodStatus({
      namespace: 'ns',
      name,
      body: {
        ...pod,
        status: {
          phase: 'Running',
          podIP,
          podIPs: [{ ip: podIP }],
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
        },
      },
    });
  };

  it('discovers that routes are served and builds the shim', async () => {
    expect(network.routesServed()).toBe(true);
    expect((await fs.stat(network.shimPath)).isFile()).toBe(true);
    expect(network.hostsFile).toBe(path.join(tmp, 'data', 'dns', 'hosts'));
  });

  it('reaches a Service through its ClusterIP, NodePort and LoadBalancer address', async () => {
    await servers.start(ip('1.4'), 9000, 'web-pod');
    const created = await core.createNamespacedService({
      namespace: 'ns',
      body: {
        metadata: { name: 'web' },
        spec: {
          type: 'LoadBalancer',
          ports: [{ name: 'tcp', port: 7000, targetPort: 9000 }],
          selector: { app: 'web' },
        },
      },
    });
    // served by the Ready pod it selects: the one not Ready, listening too, never answers
    await servers.start(ip('1.9'), 9000, 'unready-pod');
    await podAt('web-1', { app: 'web' }, ip('1.4'), true);
    await podAt('web-2', { app: 'web' }, ip('1.9'), false);
    const clusterIP = created.spec!.clusterIP!;
    const nodePort = created.spec!.ports![0].nodePort!;
    expect(clusterIP.startsWith(`127.${plan.octet}.`)).toBe(true);
    const svc = await eventually('LoadBalancer status', async () => {
      const s = await core.readNamespacedService({
        namespace: 'ns',
        name: 'web',
      });
      return s.status?.loadBalancer?.ingress?.length ? s : undefined;
    });
    const lbIP = svc.status!.loadBalancer!.ingress![0].ip!;
    expect(lbIP).toBe(ip('128.1'));
    expect(await eventually('ClusterIP', () => ask(clusterIP, 7000, 'c'))).toBe(
      'web-pod:c',
    );
    expect(await ask(plan.nodeIP, nodePort, 'n')).toBe('web-pod:n');
    expect(await ask(lbIP, 7000, 'l')).toBe('web-pod:l');

    const hosts = await eventually('hosts entry', async () => {
      const text = await fs.readFile(network.hostsFile, 'utf8');
      return (
        text.includes(`${clusterIP} web.ns.svc.cluster.local web.ns.svc`) &&
        text
      );
    });
    expect(hosts.split('\n')).toContain('127.0.0.1 localhost');
  });

  it('lets a pod process resolve the Service name through the hosts file and connect under the shim', async () => {
    // what the kubelet does for a container: /etc/hosts bind-mounted in a private mount namespace, shim preloaded
    const script = `mount --bind ${network.hostsFile} /etc/hosts && exec python3 -c '
import socket
c = socket.create_connection(("web.ns.svc.cluster.local", 7000))
c.sendall(b"dns")
print(c.recv(100).decode())'`;
    const { stdout } = await run(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', script],
      {
        env: {
          ...process.env,
          LD_PRELOAD: network.shimPath,
          KUBE_SIM_POD_IP: ip('1.77'),
        },
      },
    );
    expect(stdout.trim()).toBe('web-pod:dns');
  });

  it('passes TLS through the router by SNI for a passthrough Route and writes its status', async () => {
    tlsServers.push(
      await startTlsBackend(ip('1.5'), 8443, 'route-pod', backendCert),
    );
    await core.createNamespacedService({
      namespace: 'ns',
      body: {
        metadata: { name: 'secure' },
        spec: {
          ports: [{ name: 'tls', port: 443, targetPort: 8443 }],
        },
      },
    });
    await endpointSlice('secure', { name: 'tls', port: 8443 }, ip('1.5'));
    const custom = kc.makeApiClient(CustomObjectsApi);
    const host = `secure.${routeDomain}`;
    await custom.createNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      namespace: 'ns',
      plural: 'routes',
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: 'secure' },
        spec: {
          host,
          to: { kind: 'Service', name: 'secure' },
          port: { targetPort: 'tls' },
          tls: { termination: 'passthrough' },
        },
      },
    });
    const route = await eventually('Route admitted', async () => {
      const r = (await custom.getNamespacedCustomObject({
        group: 'route.openshift.io',
        version: 'v1',
        namespace: 'ns',
        plural: 'routes',
        name: 'secure',
      })) as Route;
      return r.status?.ingress?.length ? r : undefined;
    });
    expect(route.status!.ingress![0]).toMatchObject({
      host,
      routerName: 'default',
      routerCanonicalHostname: `router-default.${routeDomain}`,
      conditions: [{ type: 'Admitted', status: 'True' }],
    });
    expect(await tlsAsk(plan.routerIP, 443, host, caPem)).toBe(
      'route-pod:ping',
    );
    await eventually('route host in the world file', async () =>
      (
        await fs.readFile(
          path.join(tmp, 'world', `${clusterName}.hosts`),
          'utf8',
        )
      ).includes(`${plan.routerIP} ${host}`),
    );
    await eventually('route host in the hosts file', async () =>
      (await fs.readFile(network.hostsFile, 'utf8')).includes(
        `${plan.routerIP} ${host}`,
      ),
    );
  });

  it('moves a tree with rsync over stunnel through a passthrough Route, as the copy flow does', async () => {
    const procs = new PodProcesses(network.shimPath);
    const serverIP = ip('1.30');
    const clientIP = ip('1.31');
    const host = `rsync-server.${routeDomain}`;
    const dir = path.join(tmp, 'rsync');
    try {
      await fs.mkdir(path.join(dir, 'src', 'sub'), { recursive: true });
      await fs.mkdir(path.join(dir, 'dest'));
      await fs.writeFile(
        path.join(dir, 'src', 'sub', 'file.txt'),
        'moved through the router\n',
      );
      const cert = await ca.issue({
        commonName: host,
        dnsNames: [host],
        usage: 'server',
      });
      await fs.writeFile(path.join(dir, 'cert.pem'), cert.certPem);
      await fs.writeFile(path.join(dir, 'key.pem'), cert.keyPem);
      await fs.writeFile(path.join(dir, 'ca.pem'), caPem);
      await fs.writeFile(
        path.join(dir, 'rsyncd.conf'),
        `use chroot = no\nport = 873\naddress = 127.0.0.1\n[data]\npath = ${dir}/src\nread only = yes\n`,
      );
      await fs.writeFile(
        path.join(dir, 'server.conf'),
        `foreground = yes\npid =\n[rsync]\naccept = 8443\nconnect = 127.0.0.1:873\ncert = ${dir}/cert.pem\nkey = ${dir}/key.pem\n`,
      );
      await fs.writeFile(
        path.join(dir, 'client.conf'),
        `pid = ${dir}/client.pid\n[rsync]\nclient = yes\naccept = 127.0.0.1:1873\nconnect = ${host}:443\nverifyChain = yes\nCAfile = ${dir}/ca.pem\ncheckHost = ${host}\n`,
      );
      // the server pod: rsync daemon on its localhost, stunnel in front of it on :8443
      procs
        .start(
          serverIP,
          'rsync',
          ['--daemon', '--no-detach', `--config=${dir}/rsyncd.conf`],
          /never/,
        )
        .catch(() => undefined);
      await procs.start(
        serverIP,
        'stunnel4',
        [path.join(dir, 'server.conf')],
        /Configuration successful/,
      );
      await core.createNamespacedService({
        namespace: 'ns',
        body: {
          metadata: { name: 'rsync-server' },
          spec: {
            ports: [{ name: 'stunnel', port: 8443 }],
          },
        },
      });
      await endpointSlice(
        'rsync-server',
        { name: 'stunnel', port: 8443 },
        serverIP,
      );
      await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'route.openshift.io',
        version: 'v1',
        namespace: 'ns',
        plural: 'routes',
        body: {
          apiVersion: 'route.openshift.io/v1',
          kind: 'Route',
          metadata: { name: 'rsync-server' },
          spec: {
            host,
            to: { kind: 'Service', name: 'rsync-server' },
            port: { targetPort: 'stunnel' },
            tls: { termination: 'passthrough' },
          },
        },
      });
      await eventually('route host resolvable', async () =>
        (await fs.readFile(network.hostsFile, 'utf8')).includes(
          `${plan.routerIP} ${host}`,
        ),
      );
      // the client pod: stunnel client to the route host (resolved through the cluster hosts file), then rsync
      const script = [
        `mount --bind ${network.hostsFile} /etc/hosts`,
        `stunnel4 ${dir}/client.conf`,
        `for i in $(seq 50); do rsync rsync://127.0.0.1:1873/ >/dev/null 2>&1 && break; sleep 0.1; done`,
        `rsync -a rsync://127.0.0.1:1873/data/ ${dir}/dest/; rc=$?`,
        `kill $(cat ${dir}/client.pid)`,
        'exit $rc',
      ].join('\n');
      await run(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', script],
        {
          env: {
            ...process.env,
            LD_PRELOAD: network.shimPath,
            KUBE_SIM_POD_IP: clientIP,
          },
        },
      );
      expect(
        await fs.readFile(path.join(dir, 'dest', 'sub', 'file.txt'), 'utf8'),
      ).toBe('moved through the router\n');
    } finally {
      await procs.killAll();
    }
  });

  it('passes TLS through for an ssl-passthrough Ingress and writes its status', async () => {
    tlsServers.push(
      await startTlsBackend(ip('1.6'), 9443, 'ingress-pod', backendCert),
    );
    await core.createNamespacedService({
      namespace: 'ns',
      body: {
        metadata: { name: 'ing' },
        spec: {
          ports: [{ name: 'https', port: 443, targetPort: 9443 }],
        },
      },
    });
    await endpointSlice('ing', { name: 'https', port: 9443 }, ip('1.6'));
    const networking = kc.makeApiClient(NetworkingV1Api);
    await networking.createNamespacedIngress({
      namespace: 'ns',
      body: {
        metadata: {
          name: 'ing',
          annotations: { [PASSTHROUGH_ANNOTATION]: 'true' },
        },
        spec: {
          rules: [
            {
              host: 'ingress.netit.test',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: {
                      service: { name: 'ing', port: { number: 443 } },
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    await eventually('Ingress status', async () => {
      const i = await networking.readNamespacedIngress({
        namespace: 'ns',
        name: 'ing',
      });
      return i.status?.loadBalancer?.ingress?.[0]?.ip === plan.routerIP;
    });
    expect(await tlsAsk(plan.routerIP, 443, 'ingress.netit.test', caPem)).toBe(
      'ingress-pod:ping',
    );
    await expect(
      tlsAsk(plan.routerIP, 443, 'unknown.netit.test', caPem),
    ).rejects.toThrow(/before the TLS handshake|ECONNRESET|disconnected/);
  });

  it('serves an Ingress of a missing class once an ingress-nginx IngressClass appears', async () => {
    const networking = kc.makeApiClient(NetworkingV1Api);
    const body = (name: string, host: string, className?: string) =>
      hostIngress({
        name,
        host,
        className,
        service: 'ing',
        port: { number: 443 },
        annotations: { [PASSTHROUGH_ANNOTATION]: 'true' },
      });
    const addressOf = async (name: string) =>
      (await networking.readNamespacedIngress({ namespace: 'ns', name })).status
        ?.loadBalancer?.ingress?.[0]?.ip;
    await networking.createNamespacedIngress({
      namespace: 'ns',
      body: body('late', 'late.netit.test', 'late'),
    });
    // one watch stream delivers both: once the marker is served, the router has judged 'late' too
    await networking.createNamespacedIngress({
      namespace: 'ns',
      body: body('marker', 'marker.netit.test'),
    });
    await eventually('marker Ingress status', async () =>
      (await addressOf('marker')) === plan.routerIP ? true : undefined,
    );
    expect(await addressOf('late')).toBeUndefined();
    await expect(
      tlsAsk(plan.routerIP, 443, 'late.netit.test', caPem),
    ).rejects.toThrow(/before the TLS handshake|ECONNRESET|disconnected/);

    await networking.createIngressClass({
      body: {
        metadata: { name: 'late' },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
    });
    // well within the 10 s resync: the class's watch event itself brings the Ingress in
    await eventually(
      'late Ingress status',
      async () =>
        (await addressOf('late')) === plan.routerIP ? true : undefined,
      5000,
    );
    expect(await tlsAsk(plan.routerIP, 443, 'late.netit.test', caPem)).toBe(
      'ingress-pod:ping',
    );
  });

  it('follows changes after the API server drops its watches', async () => {
    server.api.faults.dropWatches();
    await servers.start(ip('1.8'), 9100, 'late-pod');
    const svc: V1Service = await core.createNamespacedService({
      namespace: 'ns',
      body: {
        metadata: { name: 'late' },
        spec: {
          ports: [{ port: 7100, targetPort: 9100 }],
        },
      },
    });
    await endpointSlice('late', { port: 9100 }, ip('1.8'));
    expect(
      await eventually('late service', () =>
        ask(svc.spec!.clusterIP!, 7100, 'x'),
      ),
    ).toBe('late-pod:x');
  });

  it('closes the listeners of a deleted Service and releases its load balancer address', async () => {
    const web = await core.readNamespacedService({
      namespace: 'ns',
      name: 'web',
    });
    await core.deleteNamespacedService({ namespace: 'ns', name: 'web' });
    // refused, not reset: without its Service a connection is reset at once, until the listener closes
    await eventually('ClusterIP closed', () =>
      ask(web.spec!.clusterIP!, 7000).then(
        () => false,
        (e: Error) => /ECONNREFUSED/.test(e.message),
      ),
    );
    await expect(ask(ip('128.1'), 7000)).rejects.toThrow(/ECONNREFUSED/);
    await eventually(
      'hosts entry gone',
      async () =>
        !(await fs.readFile(network.hostsFile, 'utf8')).includes('web.ns.svc'),
    );
  });

  it('stops: listeners closed, own world file removed', async () => {
    await network.stop();
    await expect(ask(plan.routerIP, 443)).rejects.toThrow(/ECONNREFUSED/);
    expect(await fs.readdir(path.join(tmp, 'world'))).toEqual([]);
  });
});

describe('startNetwork on a plain (not OpenShift) cluster in a shared world', () => {
  it('serves no routes, and merges the names other clusters published', async () => {
    const server = await startTestApiServer({
      name: 'plain',
      tokens: { t: { ...MASTER, username: 'system:kube-proxy' } },
    });
    const plan = server.plan;
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'network-it-plain-'));
    const worldDir = path.join(tmp, 'world');
    await fs.mkdir(worldDir);
    await fs.writeFile(
      path.join(worldDir, 'other.hosts'),
      '# other\n127.99.0.2 rsync.apps.other.test\n',
    );
    const kc = server.kubeConfig('t');
    const network = await startNetwork({
      kubeConfig: kc,
      clusterName: 'plain',
      address: plan,
      dataDir: path.join(tmp, 'data'),
      worldDir,
    });
    try {
      expect(network.routesServed()).toBe(false);
      await eventually('world names merged', async () =>
        (await fs.readFile(network.hostsFile, 'utf8')).includes(
          '127.99.0.2 rsync.apps.other.test',
        ),
      );
      expect(
        await fs.readFile(path.join(worldDir, 'plain.hosts'), 'utf8'),
      ).toBe('# plain\n');
    } finally {
      await network.stop();
      await server.stop();
    }
    expect(await fs.readdir(worldDir)).toEqual(['other.hosts']);
    await fs.rm(tmp, { recursive: true, force: true });
  });
});
