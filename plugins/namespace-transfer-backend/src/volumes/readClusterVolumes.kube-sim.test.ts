/*
 * The cluster layer against a real API server (kube-sim): TLS with the cluster's CA, the backend's
 * ServiceAccount limited by the ClusterRole in deploy/, the demo seed's Deployments, ReplicaSets, pods and
 * StatefulSet made by the controllers, an OpenShift-flavoured cluster's DeploymentConfigs, and the
 * failures a real cluster produces.
 */
import path from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { seedDemoCluster, startClusters, SimWorld, SimCluster } from 'kube-sim';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  buildKubeConfig,
  classifyClusterError,
  ClusterConfig,
  ClusterRegistry,
  getClusterStatuses,
} from '../clusters';
import { readClusterVolumes } from './readClusterVolumes';

jest.setTimeout(180_000);

const DEPLOY_DIR = path.resolve(__dirname, '../../../../deploy');

let world: SimWorld;
let east: SimCluster;
let west: SimCluster;
let backendToken: string;
let westToken: string;

const clusterConfig = (over: Partial<ClusterConfig> = {}): ClusterConfig => ({
  name: 'east',
  url: east.server,
  authProvider: 'serviceAccount',
  serviceAccountToken: backendToken,
  caData: east.caData,
  skipTLSVerify: false,
  ...over,
});

const read = (
  selector: { labelSelector: string; namespace?: string },
  over: Partial<ClusterConfig> = {},
) =>
  readClusterVolumes(
    new ClusterRegistry([clusterConfig(over)]).clients('east'),
    selector,
    20_000,
  );

/** Controllers and the provisioner work asynchronously, as on a real cluster: wait for the state. */
async function eventually(
  selector: { labelSelector: string; namespace?: string },
  ready: (volumes: Volume[]) => boolean,
): Promise<Volume[]> {
  const deadline = Date.now() + 90_000;
  let last: Volume[] = [];
  while (Date.now() < deadline) {
    last = await read(selector);
    if (ready(last)) return last;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `cluster did not reach the expected state; last read: ${JSON.stringify(last, null, 2)}`,
  );
}

beforeAll(async () => {
  world = await startClusters([
    { name: 'east' },
    { name: 'west', openshift: true },
  ]);
  east = world.cluster('east');
  west = world.cluster('west');
  ({ backendToken } = await seedDemoCluster(east, { deployDir: DEPLOY_DIR }));
  ({ backendToken: westToken } = await seedDemoCluster(west, {
    deployDir: DEPLOY_DIR,
  }));
});

afterAll(async () => {
  await world?.stop();
});

describe('readClusterVolumes on kube-sim', () => {
  it('finds a labelled PVC and the Deployment that mounts it through its ReplicaSet and pod', async () => {
    const selector = {
      labelSelector: 'backstage.io/kubernetes-id=payments-db',
      namespace: 'payments',
    };
    const volumes = await eventually(
      selector,
      v => v[0]?.usedBy.pods.length === 1 && v[0].usedBy.workloads.length === 1,
    );
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({
      cluster: 'east',
      namespace: 'payments',
      name: 'payments-db-data',
      capacity: '1Gi',
      storageClass: 'standard',
      accessModes: ['ReadWriteOnce'],
      transferable: { transferable: true, source: 'default' },
    });
    // Phase and bound volume are whatever the API server reports for the claim; read it on both sides of
    // our read so that a binding in between cannot make the comparison flaky.
    const core = east.kubeConfig().makeApiClient(CoreV1Api);
    const claim = () =>
      core.readNamespacedPersistentVolumeClaim({
        namespace: 'payments',
        name: 'payments-db-data',
      });
    let stable:
      { ours: Volume; server: Awaited<ReturnType<typeof claim>> } | undefined;
    while (!stable) {
      const before = await claim();
      const [ours] = await read(selector);
      const after = await claim();
      if (
        before.metadata?.resourceVersion === after.metadata?.resourceVersion
      ) {
        stable = { ours, server: after };
      }
    }
    expect(stable.ours.phase).toBe(stable.server.status?.phase);
    expect(stable.ours.volumeName).toBe(
      stable.server.spec?.volumeName || undefined,
    );
    expect(volumes[0].usedBy.workloads).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'payments-db',
        replicas: 1,
      },
    ]);
    expect(volumes[0].usedBy.pods[0].name).toMatch(/^payments-db-/);
  });

  it('finds the StatefulSet claim from its volumeClaimTemplate, searching all namespaces', async () => {
    const volumes = await eventually(
      { labelSelector: 'backstage.io/kubernetes-id=orders-api' },
      v =>
        v.some(
          x => x.name === 'data-orders-cache-0' && x.usedBy.pods.length === 1,
        ),
    );
    expect(volumes.map(v => `${v.namespace}/${v.name}`)).toEqual([
      'orders/data-orders-cache-0',
      'orders/orders-uploads',
    ]);
    const cache = volumes.find(v => v.name === 'data-orders-cache-0')!;
    expect(cache).toMatchObject({ capacity: '1Gi', storageClass: 'fast' });
    expect(cache.usedBy.workloads).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'orders-cache',
        replicas: 1,
      },
    ]);
  });

  it('on OpenShift, resolves the pods of a DeploymentConfig through its ReplicationController to the DeploymentConfig', async () => {
    // kube-sim serves DeploymentConfigs and ReplicationControllers but runs no controller for them:
    // the objects OpenShift's deployer would make (DC → RC → pod) are made here by hand
    const admin = west.kubeConfig();
    const core = admin.makeApiClient(CoreV1Api);
    const custom = admin.makeApiClient(CustomObjectsApi);
    const namespace = 'legacy';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: 'legacy-data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    const template = {
      metadata: { labels: { app: 'legacy' } },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'x',
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'd', mountPath: '/d' }],
          },
        ],
        volumes: [
          { name: 'd', persistentVolumeClaim: { claimName: 'legacy-data' } },
        ],
      },
    };
    const dc = (await custom.createNamespacedCustomObject({
      group: 'apps.openshift.io',
      version: 'v1',
      namespace,
      plural: 'deploymentconfigs',
      body: {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: {
          name: 'legacy',
          labels: { 'backstage.io/kubernetes-id': 'legacy' },
        },
        spec: { replicas: 1, selector: { app: 'legacy' }, template },
      },
    })) as { metadata: { uid: string } };
    const rc = await core.createNamespacedReplicationController({
      namespace,
      body: {
        metadata: {
          name: 'legacy-1',
          labels: { 'openshift.io/deployment-config.name': 'legacy' },
          ownerReferences: [
            {
              apiVersion: 'apps.openshift.io/v1',
              kind: 'DeploymentConfig',
              name: 'legacy',
              uid: dc.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 1,
          selector: { app: 'legacy', deployment: 'legacy-1' },
          template: {
            ...template,
            metadata: { labels: { app: 'legacy', deployment: 'legacy-1' } },
          },
        },
      },
    });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: 'legacy-1-x7k2p',
          labels: { app: 'legacy', deployment: 'legacy-1' },
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ReplicationController',
              name: 'legacy-1',
              uid: rc.metadata!.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: template.spec,
      },
    });

    const volumes = await readClusterVolumes(
      new ClusterRegistry([
        clusterConfig({
          name: 'west',
          url: west.server,
          caData: west.caData,
          serviceAccountToken: westToken,
        }),
      ]).clients('west'),
      { labelSelector: 'backstage.io/kubernetes-id=legacy' },
      20_000,
    );
    expect(volumes.map(v => `${v.namespace}/${v.name}`)).toEqual([
      'legacy/legacy-data',
    ]);
    const [volume] = volumes;
    expect(volume.usedBy.pods.map(p => p.name)).toEqual(['legacy-1-x7k2p']);
    expect(volume.usedBy.pods[0].phase).not.toMatch(/Succeeded|Failed/);
    // the DeploymentConfig a transfer scales down, not a ReplicationController it cannot stop
    expect(volume.usedBy.workloads).toEqual([
      {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        name: 'legacy',
        replicas: 1,
      },
    ]);
    expect(volume.usedBy.unstoppable).toEqual([]);
  });

  it('reads the opt-out annotation of the namespace', async () => {
    const core = east.kubeConfig().makeApiClient(CoreV1Api);
    const ns = await core.readNamespace({ name: 'payments' });
    ns.metadata!.annotations = {
      ...ns.metadata!.annotations,
      'namespace-transfer.io/transferable': 'false',
    };
    await core.replaceNamespace({ name: 'payments', body: ns });
    const [volume] = await read({
      labelSelector: 'backstage.io/kubernetes-id=payments-db',
      namespace: 'payments',
    });
    expect(volume.transferable).toMatchObject({
      transferable: false,
      source: 'namespace-annotation',
    });
  });

  it('returns nothing for a selector that matches nothing', async () => {
    await expect(
      read({ labelSelector: 'backstage.io/kubernetes-id=nothing-here' }),
    ).resolves.toEqual([]);
  });

  it('classifies a token without RBAC grants as forbidden, with the API server message', async () => {
    const nobody = east.userKubeConfig({
      username: 'nobody',
      groups: ['system:authenticated'],
    });
    const error = await read(
      {
        labelSelector: 'backstage.io/kubernetes-id=payments-db',
        namespace: 'payments',
      },
      { serviceAccountToken: nobody.getCurrentUser()!.token },
    ).catch(e => e);
    const classified = classifyClusterError('east', error);
    expect(classified).toMatchObject({ reason: 'forbidden', statusCode: 403 });
    expect(classified.message).toMatch(/forbidden/i);
  });

  it('classifies an unknown token as unauthorized', async () => {
    const error = await read(
      { labelSelector: 'a=b', namespace: 'payments' },
      { serviceAccountToken: 'not-a-token' },
    ).catch(e => e);
    expect(classifyClusterError('east', error)).toMatchObject({
      reason: 'unauthorized',
      statusCode: 401,
    });
  });

  it('verifies TLS by default: without the cluster CA the connection is refused', async () => {
    const error = await read(
      { labelSelector: 'a=b', namespace: 'payments' },
      { caData: undefined },
    ).catch(e => e);
    expect(classifyClusterError('east', error).reason).toBe('tls');
  });

  it('reports reachability, version and flavour of the cluster', async () => {
    const registry = new ClusterRegistry([
      clusterConfig(),
      clusterConfig({ name: 'down', url: 'https://127.0.0.1:1' }),
    ]);
    const statuses = await getClusterStatuses(registry, 10_000);
    expect(statuses[0]).toMatchObject({
      name: 'east',
      reachable: true,
      openshift: false,
    });
    expect(statuses[0].version).toMatch(/^v1\./);
    expect(statuses[1]).toMatchObject({
      name: 'down',
      reachable: false,
      error: { reason: 'unreachable' },
    });
  });

  it('lists each kind once per namespace: 8 lists for an annotated namespace, 8 label-selected ones more to find the namespaces otherwise', async () => {
    /** Every request the backend sends, as the KubeConfig sees it while authenticating it. */
    class CountingKubeConfig extends KubeConfig {
      readonly requests: string[] = [];
      async applySecurityAuthentication(
        context: Parameters<KubeConfig['applySecurityAuthentication']>[0],
      ) {
        const url = new URL(context.getUrl());
        this.requests.push(
          `${context.getHttpMethod()} ${url.pathname}${url.searchParams.has('labelSelector') ? ' (selected)' : ''}`,
        );
        return super.applySecurityAuthentication(context);
      }
    }
    const counting = new CountingKubeConfig();
    const clients = new ClusterRegistry([clusterConfig()], cluster => {
      const built = buildKubeConfig(cluster);
      counting.loadFromOptions({
        clusters: built.clusters,
        users: built.users,
        contexts: built.contexts,
        currentContext: built.currentContext,
      });
      return counting;
    }).clients('east');
    const isList = (r: string) =>
      r.startsWith('GET ') &&
      r !== 'GET /apis' &&
      !/^GET \/api\/v1\/namespaces\/[^/]+$/.test(r);

    const payments = await readClusterVolumes(
      clients,
      {
        labelSelector: 'backstage.io/kubernetes-id=payments-db',
        namespace: 'payments',
      },
      20_000,
    );
    expect(payments.map(v => v.name)).toEqual(['payments-db-data']);
    expect(counting.requests.filter(isList).sort()).toEqual([
      'GET /api/v1/namespaces/payments/persistentvolumeclaims',
      'GET /api/v1/namespaces/payments/pods',
      'GET /apis/apps/v1/namespaces/payments/daemonsets',
      'GET /apis/apps/v1/namespaces/payments/deployments',
      'GET /apis/apps/v1/namespaces/payments/replicasets',
      'GET /apis/apps/v1/namespaces/payments/statefulsets',
      'GET /apis/batch/v1/namespaces/payments/cronjobs',
      'GET /apis/batch/v1/namespaces/payments/jobs',
    ]);
    // and the namespace's annotations, and the cluster's API groups (once per cluster)
    expect(counting.requests).toHaveLength(10);

    counting.requests.length = 0;
    const orders = await readClusterVolumes(
      clients,
      { labelSelector: 'backstage.io/kubernetes-id=orders-api' },
      20_000,
    );
    expect(new Set(orders.map(v => v.namespace))).toEqual(new Set(['orders']));
    const lists = counting.requests.filter(isList);
    expect(lists.filter(r => r.endsWith('(selected)'))).toHaveLength(8);
    expect(lists.filter(r => !r.endsWith('(selected)'))).toHaveLength(8);
    expect(
      lists.every(r =>
        r.endsWith('(selected)')
          ? !r.includes('/namespaces/')
          : r.includes('/namespaces/orders/'),
      ),
    ).toBe(true);
    expect(counting.requests).toHaveLength(17);
  });
});
