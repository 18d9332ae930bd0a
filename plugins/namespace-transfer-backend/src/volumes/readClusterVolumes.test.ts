/*
 * How many requests one reading of an entity's volumes makes, and that its deadline aborts them, against
 * a fake API server that counts what it is asked (readClusterVolumes.kube-sim.test.ts reads a real one).
 */
import { ClusterRegistry } from '../clusters';
import { ClusterTimeoutError } from '../clusters/errors';
import {
  FakeApiServer,
  FakeAnswer,
  FakeRequest,
  fakeList,
  startFakeApiServer,
} from '../testing/fakeApiServer';
import { readClusterVolumes } from './readClusterVolumes';

const LABEL = 'backstage.io/kubernetes-id=payments-db';

const pvc = (namespace: string, name: string, labels = {}) => ({
  metadata: { name, namespace, uid: `${namespace}-${name}`, labels },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'standard',
    resources: { requests: { storage: '1Gi' } },
  },
  status: { phase: 'Bound', capacity: { storage: '1Gi' } },
});

const isNamespaceGet = (r: FakeRequest) =>
  /^\/api\/v1\/namespaces\/[^/]+$/.test(r.path);
const isDiscovery = (r: FakeRequest) => r.path === '/apis';
const lists = (server: FakeApiServer) =>
  server.requests.filter(r => !isNamespaceGet(r) && !isDiscovery(r));

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler?: (r: FakeRequest) => FakeAnswer) {
  server = await startFakeApiServer(handler);
  const clients = new ClusterRegistry([
    {
      name: 'fake',
      url: server.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: 't',
      skipTLSVerify: false,
      allowInsecureHttp: true,
    },
  ]).clients('fake');
  return { server, clients };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('readClusterVolumes: requests per reading', () => {
  it('lists each kind once in the annotated namespace, selecting the labelled ones itself', async () => {
    const { server: s, clients } = await start(r =>
      r.path === '/api/v1/namespaces/payments/persistentvolumeclaims'
        ? {
            body: fakeList([
              pvc('payments', 'payments-db-data', {
                'backstage.io/kubernetes-id': 'payments-db',
              }),
              pvc('payments', 'someone-elses'),
            ]),
          }
        : undefined,
    );
    const volumes = await readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      5000,
    );
    expect(volumes.map(v => v.name)).toEqual(['payments-db-data']);

    // pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, claims: one list each
    expect(lists(s)).toHaveLength(8);
    expect(new Set(lists(s).map(r => r.path)).size).toBe(8);
    for (const r of lists(s)) {
      expect(r.path).toMatch(/\/namespaces\/payments\//);
      expect(r.query.get('labelSelector')).toBeNull();
    }
    expect(s.requests.filter(isNamespaceGet)).toHaveLength(1);
    expect(s.requests.filter(isDiscovery)).toHaveLength(1);
    expect(s.requests).toHaveLength(10);

    // discovery is asked once per cluster
    await readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      5000,
    );
    expect(s.requests).toHaveLength(19);
  });

  it('without a namespace: label-selected lists across the cluster find the namespaces, then each is listed once per kind', async () => {
    const { server: s, clients } = await start(r => {
      if (r.path === '/api/v1/persistentvolumeclaims')
        return {
          body: fakeList([
            pvc('a', 'data', { 'backstage.io/kubernetes-id': 'payments-db' }),
          ]),
        };
      if (r.path === '/api/v1/pods')
        return {
          body: fakeList([
            { metadata: { name: 'p', namespace: 'b', labels: {} } },
          ]),
        };
      if (r.path === '/api/v1/namespaces/a/persistentvolumeclaims')
        return {
          body: fakeList([
            pvc('a', 'data', { 'backstage.io/kubernetes-id': 'payments-db' }),
          ]),
        };
      return undefined;
    });
    const volumes = await readClusterVolumes(
      clients,
      { labelSelector: LABEL },
      5000,
    );
    expect(volumes.map(v => `${v.namespace}/${v.name}`)).toEqual(['a/data']);

    const clusterWide = lists(s).filter(r => !r.path.includes('/namespaces/'));
    expect(clusterWide).toHaveLength(8);
    for (const r of clusterWide)
      expect(r.query.get('labelSelector')).toBe(LABEL);
    const perNamespace = lists(s).filter(r => r.path.includes('/namespaces/'));
    expect(perNamespace).toHaveLength(16);
    for (const r of perNamespace)
      expect(r.query.get('labelSelector')).toBeNull();
    expect(
      s.requests
        .filter(isNamespaceGet)
        .map(r => r.path)
        .sort(),
    ).toEqual(['/api/v1/namespaces/a', '/api/v1/namespaces/b']);
    expect(s.requests).toHaveLength(1 + 8 + 16 + 2);
  });

  it("lists DeploymentConfigs and ReplicationControllers once too where the cluster serves OpenShift's apps", async () => {
    const { server: s, clients } = await start(r =>
      r.path === '/apis'
        ? {
            body: {
              kind: 'APIGroupList',
              apiVersion: 'v1',
              groups: [
                {
                  name: 'apps.openshift.io',
                  versions: [
                    { groupVersion: 'apps.openshift.io/v1', version: 'v1' },
                  ],
                },
              ],
            },
          }
        : undefined,
    );
    await readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      5000,
    );
    expect(lists(s)).toHaveLength(10);
    expect(lists(s).map(r => r.path)).toEqual(
      expect.arrayContaining([
        '/apis/apps.openshift.io/v1/namespaces/payments/deploymentconfigs',
        '/api/v1/namespaces/payments/replicationcontrollers',
      ]),
    );
  });

  it('refuses a selector Kubernetes would refuse before asking the cluster', async () => {
    const { server: s, clients } = await start();
    await expect(
      readClusterVolumes(clients, { labelSelector: 'a=b c' }, 5000),
    ).rejects.toThrow(/expected/);
    expect(s.requests).toHaveLength(0);
  });
});

describe('readClusterVolumes: the deadline', () => {
  it('aborts every request still open when the time is up, and sends none after', async () => {
    const { server: s, clients } = await start(r =>
      isDiscovery(r) ? undefined : 'hang',
    );
    const started = Date.now();
    const error = await readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      300,
    ).catch(e => e);
    expect(error).toBeInstanceOf(ClusterTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    const hung = s.requests.length - 1;
    expect(hung).toBe(9);
    for (let i = 0; i < 40 && s.open > 0; i++) await sleep(50);
    expect(s.open).toBe(0);
    expect(s.abandoned).toBe(hung);
    await sleep(300);
    expect(s.requests).toHaveLength(hung + 1);
  });

  it('stops retrying at the deadline', async () => {
    const { server: s, clients } = await start(r =>
      isDiscovery(r)
        ? undefined
        : {
            status: 503,
            body: { kind: 'Status', message: 'etcd is slow', code: 503 },
          },
    );
    const error = await readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      250,
    ).catch(e => e);
    const ended = Date.now();
    // the deadline or a list's last 503, whichever came first: the other lists' retries end with it
    expect(error).toBeDefined();
    expect(s.requests.length).toBeGreaterThan(10);
    await sleep(1500);
    // loopback: a request sent before the end arrives within milliseconds
    const late = s.requests.filter(r => r.at > ended + 100);
    expect(late).toEqual([]);
  });

  it('aborts a shared discovery only for the caller whose deadline passed', async () => {
    let discoveries = 0;
    const { clients } = await start(r => {
      if (isDiscovery(r)) {
        discoveries++;
        return discoveries === 1 ? 'hang' : undefined;
      }
      return undefined;
    });
    const short = readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      200,
    ).catch(e => e);
    await sleep(50);
    const long = readClusterVolumes(
      clients,
      { labelSelector: LABEL, namespace: 'payments' },
      5000,
    );
    expect(await short).toBeInstanceOf(ClusterTimeoutError);
    await expect(long).resolves.toEqual([]);
    expect(discoveries).toBe(2);
  });
});
