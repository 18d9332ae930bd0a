/**
 * Whole clusters, as the engine and the demo use them: every part started by startClusters, driven only
 * through @kubernetes/client-node, moving real files between pods of two clusters.
 */
import { hostIngress } from './testing/ingress';
import {
  existsSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import {
  AppsV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  RbacAuthorizationV1Api,
  StorageV1Api,
  type V1Pod,
  type V1StorageClass,
} from '@kubernetes/client-node';
import { startClusters, type SimWorld } from './index';
import { createCertificateAuthority } from './pki';

jest.setTimeout(180_000);

const restricted = {
  pod: {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  container: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  },
};

async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${String((last as any)?.body ?? last)}` : ''}`,
  );
}

async function podFinished(
  core: CoreV1Api,
  namespace: string,
  name: string,
): Promise<V1Pod> {
  return eventually(
    `pod ${namespace}/${name} to finish`,
    async () => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
        ? pod
        : undefined;
    },
    120_000,
  );
}

async function logs(
  core: CoreV1Api,
  namespace: string,
  name: string,
  container?: string,
): Promise<string> {
  return core.readNamespacedPodLog({ name, namespace, container });
}

async function boundClaim(
  core: CoreV1Api,
  namespace: string,
  name: string,
  size = '1Gi',
  storageClassName = 'standard',
) {
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName,
        resources: { requests: { storage: size } },
      },
    },
  });
  const claim = await eventually(
    `claim ${namespace}/${name} bound`,
    async () => {
      const c = await core.readNamespacedPersistentVolumeClaim({
        name,
        namespace,
      });
      return c.status?.phase === 'Bound' ? c : undefined;
    },
  );
  const pv = await core.readPersistentVolume({ name: claim.spec!.volumeName! });
  return { claim, pv, path: pv.spec!.hostPath!.path };
}

function runPod(
  name: string,
  claim: string,
  script: string,
  extra: Partial<V1Pod['spec']> = {},
): V1Pod {
  return {
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      securityContext: restricted.pod,
      containers: [
        {
          name: 'main',
          image: 'busybox',
          command: ['/bin/sh', '-c', script],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          securityContext: restricted.container,
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      ...extra,
    },
  };
}

function treeOf(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      const key = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path, key);
      else if (entry.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
      else
        out[key] =
          `${statSync(path).size}:${readFileSync(path).toString('base64').slice(0, 64)}`;
    }
  };
  walk(root, '');
  return out;
}

const STORAGE: V1StorageClass[] = [
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: 'standard',
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'kube-sim.io/hostpath',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  },
];

describe('kube-sim clusters', () => {
  let world: SimWorld;

  beforeAll(async () => {
    world = await startClusters([
      { name: 'east' },
      { name: 'west', openshift: true },
    ]);
    for (const c of world.clusters) {
      const api = c.kubeConfig().makeApiClient(CoreV1Api);
      await c
        .kubeConfig()
        .makeApiClient(StorageV1Api)
        .createStorageClass({ body: STORAGE[0] });
      await api.createNamespace({ body: { metadata: { name: 'app' } } });
    }
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('provisions a directory for a claim, and a pod that writes into it is read back by a second pod', async () => {
    const core = world.cluster('east').kubeConfig().makeApiClient(CoreV1Api);
    const { pv, path } = await boundClaim(core, 'app', 'notes');
    expect(pv.spec?.claimRef?.name).toBe('notes');
    expect(existsSync(path)).toBe(true);

    await core.createNamespacedPod({
      namespace: 'app',
      body: runPod(
        'writer',
        'notes',
        'echo "hello from $(id -u)" > /data/note.txt',
      ),
    });
    expect((await podFinished(core, 'app', 'writer')).status?.phase).toBe(
      'Succeeded',
    );
    await core.createNamespacedPod({
      namespace: 'app',
      body: runPod('reader', 'notes', 'cat /data/note.txt'),
    });
    expect((await podFinished(core, 'app', 'reader')).status?.phase).toBe(
      'Succeeded',
    );
    expect(await logs(core, 'app', 'reader')).toContain('hello from 1000');
    // The file is really on disk in the provisioned directory, owned by the pod's identity.
    expect(readFileSync(join(path, 'note.txt'), 'utf8')).toBe(
      'hello from 1000\n',
    );
    expect(statSync(join(path, 'note.txt')).uid).toBe(1000);
  });

  it('scales a Deployment up and down with running pods', async () => {
    const kc = world.cluster('east').kubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: 'app',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              securityContext: restricted.pod,
              containers: [
                {
                  name: 'web',
                  image: 'nginx',
                  command: ['sleep', 'infinity'],
                  securityContext: restricted.container,
                },
              ],
            },
          },
        },
      },
    });
    const running = async () =>
      (
        await core.listNamespacedPod({
          namespace: 'app',
          labelSelector: 'app=web',
        })
      ).items.filter(
        p => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp,
      );
    await eventually(
      '2 running pods',
      async () => (await running()).length === 2,
    );
    await eventually(
      'deployment status',
      async () =>
        (await apps.readNamespacedDeployment({ name: 'web', namespace: 'app' }))
          .status?.readyReplicas === 2,
    );

    const scale = await apps.readNamespacedDeploymentScale({
      name: 'web',
      namespace: 'app',
    });
    scale.spec = { replicas: 0 };
    await apps.replaceNamespacedDeploymentScale({
      name: 'web',
      namespace: 'app',
      body: scale,
    });
    await eventually(
      'pods gone',
      async () =>
        (
          await core.listNamespacedPod({
            namespace: 'app',
            labelSelector: 'app=web',
          })
        ).items.length === 0,
      90_000,
    );
  });

  it('reaches a Service by its cluster DNS name from another pod', async () => {
    const core = world.cluster('east').kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'app',
      body: {
        metadata: { name: 'rsyncd' },
        data: {
          'rsyncd.conf':
            'port = 8873\nuse chroot = no\npid file = /tmp/rsyncd.pid\n[greeting]\npath = /srv\ncomment = hello over a Service\nread only = yes\n',
        },
      },
    });
    await core.createNamespacedPod({
      namespace: 'app',
      body: {
        metadata: { name: 'daemon', labels: { app: 'daemon' } },
        spec: {
          securityContext: restricted.pod,
          containers: [
            {
              name: 'rsyncd',
              image: 'rsync',
              command: [
                'rsync',
                '--daemon',
                '--no-detach',
                '--config=/etc/rsyncd/rsyncd.conf',
              ],
              ports: [{ containerPort: 8873, name: 'rsync' }],
              readinessProbe: { tcpSocket: { port: 8873 }, periodSeconds: 1 },
              volumeMounts: [
                { name: 'conf', mountPath: '/etc/rsyncd' },
                { name: 'srv', mountPath: '/srv' },
              ],
              securityContext: restricted.container,
            },
          ],
          volumes: [
            { name: 'conf', configMap: { name: 'rsyncd' } },
            { name: 'srv', emptyDir: {} },
          ],
        },
      },
    });
    await core.createNamespacedService({
      namespace: 'app',
      body: {
        metadata: { name: 'daemon' },
        spec: {
          selector: { app: 'daemon' },
          ports: [{ port: 873, targetPort: 'rsync' as any }],
        },
      },
    });
    await eventually('a ready endpoint', async () => {
      const slices = await world
        .cluster('east')
        .kubeConfig()
        .makeApiClient(DiscoveryV1Api)
        .listNamespacedEndpointSlice({
          namespace: 'app',
          labelSelector: 'kubernetes.io/service-name=daemon',
        });
      return slices.items.some(s => s.endpoints.some(e => e.conditions?.ready));
    });
    await core.createNamespacedPod({
      namespace: 'app',
      body: {
        metadata: { name: 'lister' },
        spec: {
          restartPolicy: 'Never',
          securityContext: restricted.pod,
          containers: [
            {
              name: 'main',
              image: 'rsync',
              command: [
                '/bin/sh',
                '-c',
                'for i in $(seq 1 30); do rsync rsync://daemon.app.svc.cluster.local/ && exit 0; sleep 1; done; exit 1',
              ],
              securityContext: restricted.container,
            },
          ],
        },
      },
    });
    expect((await podFinished(core, 'app', 'lister')).status?.phase).toBe(
      'Succeeded',
    );
    expect(await logs(core, 'app', 'lister')).toMatch(
      /greeting\s+hello over a Service/,
    );
  });

  it('moves a real tree from a pod in east to a pod in west: rsync behind stunnel, through a passthrough Route', async () => {
    const east = world.cluster('east');
    const west = world.cluster('west');
    const eastCore = east.kubeConfig().makeApiClient(CoreV1Api);
    const westCore = west.kubeConfig().makeApiClient(CoreV1Api);
    const routes = west.kubeConfig().makeApiClient(CustomObjectsApi);

    // Source data written by a pod in east, as an application would.
    const source = await boundClaim(eastCore, 'app', 'source');
    await eastCore.createNamespacedPod({
      namespace: 'app',
      body: runPod(
        'fill',
        'source',
        'mkdir -p /data/a/b && i=0; while [ $i -lt 200 ]; do echo "file $i" > /data/a/b/f$i; i=$((i+1)); done; ' +
          'head -c 3000000 /dev/urandom > /data/big.bin; ln -s a/b/f1 /data/link; echo done',
      ),
    });
    expect((await podFinished(eastCore, 'app', 'fill')).status?.phase).toBe(
      'Succeeded',
    );
    const destination = await boundClaim(westCore, 'app', 'destination');

    // Route first: its host goes into the server certificate.
    const route: any = await routes.createNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      namespace: 'app',
      plural: 'routes',
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: 'receiver' },
        spec: {
          to: { kind: 'Service', name: 'receiver' },
          port: { targetPort: 'tls' },
          tls: { termination: 'passthrough' },
        },
      },
    });
    const host: string = route.spec.host;
    expect(host).toBe(`receiver-app.${west.routeDomain}`);

    const ca = await createCertificateAuthority('transfer-ca');
    const server = await ca.issue({
      commonName: host,
      dnsNames: [host],
      usage: 'server',
    });
    const client = await ca.issue({ commonName: 'client', usage: 'client' });
    const tls = (pair: { certPem: string; keyPem: string }) => ({
      'tls.crt': Buffer.from(pair.certPem).toString('base64'),
      'tls.key': Buffer.from(pair.keyPem).toString('base64'),
      'ca.crt': Buffer.from(ca.certPem).toString('base64'),
    });
    await westCore.createNamespacedSecret({
      namespace: 'app',
      body: { metadata: { name: 'receiver-tls' }, data: tls(server) },
    });
    await eastCore.createNamespacedSecret({
      namespace: 'app',
      body: { metadata: { name: 'sender-tls' }, data: tls(client) },
    });
    const stunnelCommon =
      'foreground = yes\npid =\nsslVersionMin = TLSv1.3\nverifyChain = yes\ncert = /tls/tls.crt\nkey = /tls/tls.key\nCAfile = /tls/ca.crt\n';
    await westCore.createNamespacedConfigMap({
      namespace: 'app',
      body: {
        metadata: { name: 'receiver' },
        data: {
          'stunnel.conf': `${stunnelCommon}[rsync]\naccept = 8443\nconnect = 127.0.0.1:8873\n`,
          'rsyncd.conf':
            'port = 8873\naddress = 127.0.0.1\nuse chroot = no\nmunge symlinks = no\npid file = /tmp/rsyncd.pid\n[data]\npath = /data\nread only = no\n',
        },
      },
    });
    await eastCore.createNamespacedConfigMap({
      namespace: 'app',
      body: {
        metadata: { name: 'sender' },
        data: {
          'stunnel.conf': `${stunnelCommon}client = yes\n[rsync]\naccept = 127.0.0.1:8873\nconnect = ${host}:443\nsni = ${host}\ncheckHost = ${host}\n`,
        },
      },
    });
    const tlsMounts = [
      { name: 'tls', mountPath: '/tls' },
      { name: 'conf', mountPath: '/conf' },
    ];
    await westCore.createNamespacedPod({
      namespace: 'app',
      body: {
        metadata: { name: 'receiver', labels: { app: 'receiver' } },
        spec: {
          securityContext: restricted.pod,
          containers: [
            {
              name: 'rsyncd',
              image: 'rsync',
              command: [
                'rsync',
                '--daemon',
                '--no-detach',
                '--config=/conf/rsyncd.conf',
              ],
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'conf', mountPath: '/conf' },
              ],
              securityContext: restricted.container,
            },
            {
              name: 'stunnel',
              image: 'stunnel',
              command: ['stunnel4', '/conf/stunnel.conf'],
              ports: [{ containerPort: 8443, name: 'tls' }],
              readinessProbe: { tcpSocket: { port: 8443 }, periodSeconds: 1 },
              volumeMounts: tlsMounts,
              securityContext: restricted.container,
            },
          ],
          volumes: [
            {
              name: 'data',
              persistentVolumeClaim: { claimName: 'destination' },
            },
            { name: 'conf', configMap: { name: 'receiver' } },
            {
              name: 'tls',
              secret: { secretName: 'receiver-tls', defaultMode: 0o400 },
            },
          ],
        },
      },
    });
    await westCore.createNamespacedService({
      namespace: 'app',
      body: {
        metadata: { name: 'receiver' },
        spec: {
          selector: { app: 'receiver' },
          ports: [{ name: 'tls', port: 8443, targetPort: 'tls' as any }],
        },
      },
    });
    await eastCore.createNamespacedPod({
      namespace: 'app',
      body: {
        metadata: { name: 'sender' },
        spec: {
          restartPolicy: 'Never',
          securityContext: restricted.pod,
          containers: [
            {
              name: 'stunnel',
              image: 'stunnel',
              command: [
                '/bin/sh',
                '-c',
                'stunnel4 /conf/stunnel.conf & pid=$!; while [ ! -e /data/.sent ] && [ ! -e /tmp/done ]; do sleep 0.2; done; kill $pid',
              ],
              volumeMounts: [...tlsMounts, { name: 'flag', mountPath: '/tmp' }],
              securityContext: restricted.container,
            },
            {
              name: 'rsync',
              image: 'rsync',
              command: [
                '/bin/sh',
                '-c',
                // the receiving volume's root belongs to root, as on a real cluster: the non-root daemon
                // cannot set its times or mode, and whether rsync tried depended on the second the two
                // roots were made in (exit 23 on every retry, now and then); the comparison looks at
                // names, links and contents only, so neither modes nor directory times are sent
                'for i in $(seq 1 60); do rsync -rlHtD --omit-dir-times --stats /data/ rsync://127.0.0.1:8873/data/ && touch /tmp/done && exit 0; sleep 1; done; touch /tmp/done; exit 1',
              ],
              volumeMounts: [
                { name: 'data', mountPath: '/data', readOnly: true },
                { name: 'flag', mountPath: '/tmp' },
              ],
              securityContext: restricted.container,
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: 'source' } },
            { name: 'conf', configMap: { name: 'sender' } },
            {
              name: 'tls',
              secret: { secretName: 'sender-tls', defaultMode: 0o400 },
            },
            { name: 'flag', emptyDir: {} },
          ],
        },
      },
    });
    const sender = await podFinished(eastCore, 'app', 'sender');
    const rsyncLog = await logs(eastCore, 'app', 'sender', 'rsync');
    expect(
      sender.status?.containerStatuses?.find(c => c.name === 'rsync')?.state
        ?.terminated?.exitCode,
    ).toBe(0);
    expect(rsyncLog).toMatch(/Number of regular files transferred: 201/);

    const routeStatus: any = await routes.getNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      namespace: 'app',
      plural: 'routes',
      name: 'receiver',
    });
    expect(routeStatus.status?.ingress?.[0]?.host).toBe(host);
    expect(treeOf(destination.path)).toEqual(treeOf(source.path));
  });

  it('passes TLS through an Ingress by SNI', async () => {
    const east = world.cluster('east');
    const kc = east.kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const net = kc.makeApiClient(NetworkingV1Api);
    const host = 'secure.apps.east.kube-sim.test';
    const ca = await createCertificateAuthority('ingress-ca');
    const pair = await ca.issue({
      commonName: host,
      dnsNames: [host],
      usage: 'server',
    });
    await core.createNamespacedSecret({
      namespace: 'app',
      body: {
        metadata: { name: 'tls-echo' },
        data: {
          'tls.crt': Buffer.from(pair.certPem).toString('base64'),
          'tls.key': Buffer.from(pair.keyPem).toString('base64'),
        },
      },
    });
    await core.createNamespacedPod({
      namespace: 'app',
      body: {
        metadata: { name: 'tls-echo', labels: { app: 'tls-echo' } },
        spec: {
          securityContext: restricted.pod,
          containers: [
            {
              name: 'server',
              image: 'openssl',
              command: [
                'openssl',
                's_server',
                '-accept',
                '9443',
                '-cert',
                '/tls/tls.crt',
                '-key',
                '/tls/tls.key',
                '-www',
              ],
              ports: [{ containerPort: 9443 }],
              readinessProbe: { tcpSocket: { port: 9443 }, periodSeconds: 1 },
              volumeMounts: [{ name: 'tls', mountPath: '/tls' }],
              securityContext: restricted.container,
            },
          ],
          volumes: [{ name: 'tls', secret: { secretName: 'tls-echo' } }],
        },
      },
    });
    await core.createNamespacedService({
      namespace: 'app',
      body: {
        metadata: { name: 'tls-echo' },
        spec: {
          selector: { app: 'tls-echo' },
          ports: [{ port: 443, targetPort: 9443 as any }],
        },
      },
    });
    await net.createNamespacedIngress({
      namespace: 'app',
      body: hostIngress({
        name: 'tls-echo',
        host,
        service: 'tls-echo',
        port: { number: 443 },
        annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' },
      }),
    });
    const ingress = await eventually('ingress address', async () => {
      const i = await net.readNamespacedIngress({
        name: 'tls-echo',
        namespace: 'app',
      });
      return i.status?.loadBalancer?.ingress?.[0]?.ip ? i : undefined;
    });
    const ip = ingress.status!.loadBalancer!.ingress![0].ip!;
    expect(ip).toBe(east.address.routerIP);

    // From the host, as a client outside the cluster: TLS terminates in the pod (its certificate, its CA).
    const body = await eventually(
      'a TLS answer through the router',
      () =>
        new Promise<string | undefined>(resolve => {
          const s = tlsConnect(
            { host: ip, port: 443, servername: host, ca: ca.certPem },
            () => s.write('GET / HTTP/1.0\r\n\r\n'),
          );
          let data = '';
          s.on('data', d => (data += d));
          s.on('end', () =>
            resolve(data.includes('200 ok') ? data : undefined),
          );
          s.on('error', () => resolve(undefined));
        }),
    );
    expect(body).toContain('200 ok');
  });

  it('refuses a ServiceAccount what RBAC does not grant, and allows what a Role grants', async () => {
    const east = world.cluster('east');
    const admin = east.kubeConfig();
    const { kubeConfig } = east.serviceAccountKubeConfig('app', 'mover');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await expect(core.listPersistentVolume()).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      core.listNamespacedPersistentVolumeClaim({ namespace: 'app' }),
    ).rejects.toMatchObject({ code: 403 });

    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'app',
      body: {
        metadata: { name: 'claims' },
        rules: [
          {
            apiGroups: [''],
            resources: ['persistentvolumeclaims'],
            verbs: ['get', 'list'],
          },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'app',
      body: {
        metadata: { name: 'mover-claims' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'claims',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'mover', namespace: 'app' }],
      },
    });
    const list = await core.listNamespacedPersistentVolumeClaim({
      namespace: 'app',
    });
    expect(list.items.map(c => c.metadata?.name)).toEqual(
      expect.arrayContaining(['notes', 'source']),
    );
    await expect(core.listPersistentVolume()).rejects.toMatchObject({
      code: 403,
    });
  });
});
