import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { startCluster, type SimCluster } from './cluster';
import { kubeconfigYaml } from './kubeconfig';
import { startControllers } from './controllers';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from './testing/apiServer';
import { waitFor } from './testing/waitFor';

jest.setTimeout(120_000);

/**
 * startCluster({ attach }): a kubeconfig file for an API server kube-sim did not start (a bare kube-sim
 * API server with its controllers here), and the node side attached to it.
 */
describe('startCluster attached to an external API server', () => {
  let server: TestApiServer;
  let controllers: { stop(): Promise<void> } | undefined;
  let cluster: SimCluster | undefined;
  let dir: string;

  beforeAll(async () => {
    server = await startTestApiServer({
      name: 'outside',
      tokens: {
        admin: MASTER,
        controllers: { ...MASTER, username: 'system:kube-controller-manager' },
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-attach-'));
    controllers = await startControllers({
      kubeConfig: server.kubeConfig('controllers'),
      clusterName: 'outside',
      dataDir: join(dir, 'control-plane'),
      nodeName: 'outside-control-plane',
      provisioner: false,
    });
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      kubeconfigYaml([
        {
          name: 'outside',
          server: server.api.url,
          caPem: server.caPem,
          token: 'admin',
        },
      ]),
    );
    cluster = await startCluster(
      {
        name: 'outside',
        attach: { kubeconfig, context: 'outside', kubeletCa: server.ca },
      },
      join(dir, 'node'),
      join(dir, 'world'),
    );
  });

  afterAll(async () => {
    await cluster?.stop();
    await controllers?.stop();
    await server?.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10 });
  });

  it('registers its own node, installs the nginx IngressClass and describes the external server', async () => {
    const c = cluster!;
    expect(c.server).toBe(server.api.url);
    expect(c.caPem).toBe(server.caPem);
    expect(c.nodeName).toBe(`outside-attached-${c.address.octet}`);
    const kc = c.kubeConfig();
    const node = await waitFor('node Ready', async () => {
      const n = await kc
        .makeApiClient(CoreV1Api)
        .readNode({ name: c.nodeName })
        .catch(() => undefined);
      return (
        n?.status?.conditions?.some(
          x => x.type === 'Ready' && x.status === 'True',
        ) && n
      );
    });
    expect(node.status?.addresses).toContainEqual({
      type: 'InternalIP',
      address: c.address.nodeIP,
    });
    const nginx = await kc
      .makeApiClient(NetworkingV1Api)
      .readIngressClass({ name: 'nginx' });
    expect(nginx.spec?.controller).toBe('k8s.io/ingress-nginx');
    // what only kube-sim's own API server has says so
    expect(() => c.apiServer).toThrow(
      /attached to .*needs kube-sim's own API server/,
    );
  });

  it('runs a pod whose log the external API server reads from the kubelet (kubeletCa)', async () => {
    const core = cluster!.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'work' } } });
    await core.createNamespacedPod({
      namespace: 'work',
      body: {
        metadata: { name: 'hello' },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'c',
              image: 'busybox',
              command: ['sh', '-c', 'echo attached-$((6*7))'],
            },
          ],
        },
      },
    });
    await waitFor(
      'pod Succeeded',
      async () =>
        (await core.readNamespacedPod({ namespace: 'work', name: 'hello' }))
          .status?.phase === 'Succeeded',
    );
    expect(
      await core.readNamespacedPodLog({ namespace: 'work', name: 'hello' }),
    ).toBe('attached-42\n');
  });
});
