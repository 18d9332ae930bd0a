/**
 * ResourceQuota and LimitRanger admission through the API server's whole write path. No controller runs
 * here: each test writes the quota's status as the resource-quota controller would.
 */
import { startTestServer, type TestServer } from '../testutil';

let t: TestServer;
let n = 0;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

async function namespace(): Promise<string> {
  const ns = `q${++n}`;
  await t.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  return ns;
}

async function quota(
  ns: string,
  name: string,
  hard: Record<string, string>,
  used: Record<string, string>,
): Promise<void> {
  const path = `/api/v1/namespaces/${ns}/resourcequotas`;
  const created = await t.request('POST', path, {
    metadata: { name },
    spec: { hard },
  });
  expect(created.status).toBe(201);
  const status = await t.request('PUT', `${path}/${name}/status`, {
    ...created.body,
    status: { hard, used },
  });
  expect(status.status).toBe(200);
}

const readQuota = async (ns: string, name: string) =>
  (await t.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/${name}`))
    .body;

const claim = (name: string, storage: string, storageClassName = 'fast') => ({
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName,
    resources: { requests: { storage } },
  },
});

const pod = (name: string, containers: Array<Record<string, unknown>>) => ({
  metadata: { name },
  spec: { containers: containers.map(c => ({ image: 'busybox', ...c })) },
});

describe('ResourceQuota admission', () => {
  it('refuses a claim that does not fit, with the real message, and charges one that does', async () => {
    const ns = await namespace();
    await quota(
      ns,
      'storage',
      { 'requests.storage': '10Gi', persistentvolumeclaims: '5' },
      { 'requests.storage': '9Gi', persistentvolumeclaims: '1' },
    );
    const claims = `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
    const refused = await t.request('POST', claims, claim('big', '2Gi'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'persistentvolumeclaims "big" is forbidden: exceeded quota: storage, requested: requests.storage=2Gi, used: requests.storage=9Gi, limited: requests.storage=10Gi',
    });
    expect((await readQuota(ns, 'storage')).status.used).toEqual({
      'requests.storage': '9Gi',
      persistentvolumeclaims: '1',
    });
    expect(
      (await t.request('POST', claims, claim('small', '1Gi'))).status,
    ).toBe(201);
    expect((await readQuota(ns, 'storage')).status.used).toEqual({
      'requests.storage': '10Gi',
      persistentvolumeclaims: '2',
    });
  });

  it('charges nothing for a dry run and counts per storage class', async () => {
    const ns = await namespace();
    const perClass = 'fast.storageclass.storage.k8s.io/persistentvolumeclaims';
    await quota(ns, 'classes', { [perClass]: '1' }, { [perClass]: '0' });
    const claims = `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
    expect(
      (await t.request('POST', `${claims}?dryRun=All`, claim('a', '1Gi')))
        .status,
    ).toBe(201);
    expect((await readQuota(ns, 'classes')).status.used[perClass]).toBe('0');
    expect(
      (await t.request('POST', claims, claim('other', '1Gi', 'slow'))).status,
    ).toBe(201);
    expect((await t.request('POST', claims, claim('a', '1Gi'))).status).toBe(
      201,
    );
    const second = await t.request('POST', claims, claim('b', '1Gi'));
    expect(second.body.message).toBe(
      `persistentvolumeclaims "b" is forbidden: exceeded quota: classes, requested: ${perClass}=1, used: ${perClass}=1, limited: ${perClass}=1`,
    );
  });

  it('charges a claim that grows by the growth only', async () => {
    const ns = await namespace();
    await quota(
      ns,
      'storage',
      { 'requests.storage': '3Gi' },
      { 'requests.storage': '0' },
    );
    const claims = `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
    const created = (await t.request('POST', claims, claim('c', '1Gi'))).body;
    // only a bound claim may grow
    await t.request('PUT', `${claims}/c/status`, {
      ...created,
      status: { phase: 'Bound' },
    });
    const grow = (storage: string) =>
      t.request(
        'PATCH',
        `${claims}/c`,
        { spec: { resources: { requests: { storage } } } },
        {
          'Content-Type': 'application/merge-patch+json',
        },
      );
    expect(created.metadata.name).toBe('c');
    const tooBig = await grow('4Gi');
    expect(tooBig.body.message).toBe(
      'persistentvolumeclaims "c" is forbidden: exceeded quota: storage, requested: requests.storage=3Gi, used: requests.storage=1Gi, limited: requests.storage=3Gi',
    );
  });

  it('charges a Service that becomes a LoadBalancer', async () => {
    const ns = await namespace();
    await quota(
      ns,
      'lb',
      { 'services.loadbalancers': '0' },
      { 'services.loadbalancers': '0' },
    );
    const services = `/api/v1/namespaces/${ns}/services`;
    const created = await t.request('POST', services, {
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(created.status).toBe(201);
    const changed = await t.request(
      'PATCH',
      `${services}/web`,
      { spec: { type: 'LoadBalancer' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(changed.body.message).toBe(
      'services "web" is forbidden: exceeded quota: lb, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0',
    );
  });

  it('asks every container for what a compute quota limits, then checks the sums', async () => {
    const ns = await namespace();
    await quota(
      ns,
      'compute',
      { 'limits.cpu': '1', 'requests.memory': '1Gi', pods: '10' },
      { 'limits.cpu': '0', 'requests.memory': '0', pods: '0' },
    );
    const pods = `/api/v1/namespaces/${ns}/pods`;
    const bare = await t.request(
      'POST',
      pods,
      pod('p', [{ name: 'stunnel' }, { name: 'rsync-daemon' }]),
    );
    expect(bare.status).toBe(403);
    expect(bare.body.reason).toBe('Forbidden');
    expect(bare.body.message).toBe(
      'pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: rsync-daemon,stunnel; requests.memory for: rsync-daemon,stunnel',
    );
    // a limit alone is also the request (API defaulting), so one limits list satisfies both
    const sized = (name: string, cpu: string) =>
      pod(name, [
        { name: 'c', resources: { limits: { cpu, memory: '256Mi' } } },
      ]);
    expect((await t.request('POST', pods, sized('a', '600m'))).status).toBe(
      201,
    );
    const over = await t.request('POST', pods, sized('b', '600m'));
    expect(over.body.message).toBe(
      'pods "b" is forbidden: exceeded quota: compute, requested: limits.cpu=600m, used: limits.cpu=600m, limited: limits.cpu=1',
    );
    expect((await readQuota(ns, 'compute')).status.used).toEqual({
      'limits.cpu': '600m',
      'requests.memory': '256Mi',
      pods: '1',
    });
  });

  it('refuses while the quota has no usage yet, and counts other kinds by count/<resource>', async () => {
    const ns = await namespace();
    const created = await t.request(
      'POST',
      `/api/v1/namespaces/${ns}/resourcequotas`,
      {
        metadata: { name: 'fresh' },
        spec: { hard: { secrets: '1' } },
      },
    );
    expect(created.status).toBe(201);
    // hard not yet in status: the quota is not enforced
    const secret = (name: string) => ({
      metadata: { name },
      stringData: { a: 'b' },
    });
    expect(
      (
        await t.request(
          'POST',
          `/api/v1/namespaces/${ns}/secrets`,
          secret('s0'),
        )
      ).status,
    ).toBe(201);
    await t.request(
      'PUT',
      `/api/v1/namespaces/${ns}/resourcequotas/fresh/status`,
      {
        ...created.body,
        status: { hard: { secrets: '1' } },
      },
    );
    const unknown = await t.request(
      'POST',
      `/api/v1/namespaces/${ns}/secrets`,
      secret('s1'),
    );
    expect(unknown.body.message).toBe(
      'secrets "s1" is forbidden: status unknown for quota: fresh, resources: secrets',
    );
    await quota(
      ns,
      'apps',
      { 'count/deployments.apps': '0' },
      { 'count/deployments.apps': '0' },
    );
    const deployment = await t.request(
      'POST',
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      {
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: {
            metadata: { labels: { a: 'b' } },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        },
      },
    );
    expect(deployment.body.message).toBe(
      'deployments.apps "d" is forbidden: exceeded quota: apps, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0',
    );
  });
});

describe('LimitRanger admission', () => {
  it("defaults a LimitRange item, then a container's requests and limits, and the QoS class follows", async () => {
    const ns = await namespace();
    const lr = await t.request('POST', `/api/v1/namespaces/${ns}/limitranges`, {
      metadata: { name: 'defaults' },
      spec: {
        limits: [
          {
            type: 'Container',
            max: { cpu: '2' },
            defaultRequest: { memory: '64Mi' },
            min: { memory: '32Mi' },
          },
        ],
      },
    });
    expect(lr.body.spec.limits[0]).toMatchObject({
      default: { cpu: '2' },
      defaultRequest: { cpu: '2', memory: '64Mi' },
    });
    const created = await t.request(
      'POST',
      `/api/v1/namespaces/${ns}/pods`,
      pod('p', [
        { name: 'c' },
        { name: 'd', resources: { requests: { cpu: '100m' } } },
      ]),
    );
    expect(created.status).toBe(201);
    const [c, d] = created.body.spec.containers;
    expect(c.resources).toEqual({
      limits: { cpu: '2' },
      requests: { cpu: '2', memory: '64Mi' },
    });
    expect(d.resources).toEqual({
      limits: { cpu: '2' },
      requests: { cpu: '100m', memory: '64Mi' },
    });
    expect(
      created.body.metadata.annotations['kubernetes.io/limit-ranger'],
    ).toBe(
      'LimitRanger plugin set: cpu, memory request for container c; cpu limit for container c; memory request for container d; cpu limit for container d',
    );
    expect(created.body.status.qosClass).toBe('Burstable');
  });

  it('refuses containers, pods and claims outside min, max and the ratio', async () => {
    const ns = await namespace();
    await t.request('POST', `/api/v1/namespaces/${ns}/limitranges`, {
      metadata: { name: 'bounds' },
      spec: {
        limits: [
          {
            type: 'Container',
            min: { cpu: '100m' },
            maxLimitRequestRatio: { cpu: '2' },
            default: { cpu: '500m' },
          },
          { type: 'Pod', max: { memory: '1Gi' } },
          {
            type: 'PersistentVolumeClaim',
            max: { storage: '5Gi' },
            min: { storage: '1Gi' },
          },
        ],
      },
    });
    const pods = `/api/v1/namespaces/${ns}/pods`;
    const small = await t.request(
      'POST',
      pods,
      pod('small', [
        {
          name: 'c',
          resources: { requests: { cpu: '50m' }, limits: { memory: '512Mi' } },
        },
      ]),
    );
    expect(small.status).toBe(403);
    expect(small.body.message).toBe(
      'pods "small" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000]',
    );
    const big = await t.request('POST', pods, {
      metadata: { generateName: 'mover-' },
      spec: {
        containers: ['a', 'b'].map(name => ({
          name,
          image: 'x',
          resources: { limits: { cpu: '500m', memory: '600Mi' } },
        })),
      },
    });
    expect(big.body.message).toBe(
      'pods "mover-" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1200Mi',
    );
    const claims = `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
    expect(
      (await t.request('POST', claims, claim('huge', '10Gi'))).body.message,
    ).toBe(
      'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi',
    );
    expect((await t.request('POST', claims, claim('ok', '2Gi'))).status).toBe(
      201,
    );
    const grown = await t.request(
      'PATCH',
      `${claims}/ok`,
      { spec: { resources: { requests: { storage: '6Gi' } } } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(grown.body.message).toBe(
      'persistentvolumeclaims "ok" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 6Gi',
    );
  });

  it('refuses a LimitRange whose min is above its max', async () => {
    const ns = await namespace();
    const bad = await t.request(
      'POST',
      `/api/v1/namespaces/${ns}/limitranges`,
      {
        metadata: { name: 'bad' },
        spec: {
          limits: [
            {
              type: 'PersistentVolumeClaim',
              min: { storage: '2Gi' },
              max: { storage: '1Gi' },
            },
          ],
        },
      },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain(
      'min value 2Gi is greater than max value 1Gi',
    );
  });
});
