/** Patches, status and scale subresources, binding, deletion semantics: through @kubernetes/client-node. */
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../testutil';

const podBody = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'busybox:1.36',
        env: [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 80 }],
      },
      { name: 'side', image: 'busybox:1.36' },
    ],
    ...extra,
  },
});

describe('writes through @kubernetes/client-node', () => {
  let t: TestServer;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    t = await startTestServer();
    core = t.kubeConfig().makeApiClient(CoreV1Api);
    apps = t.kubeConfig().makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: 'p' } } });
  });
  afterAll(() => t.stop());

  it('applies strategic merge patches by merge key, with $patch directives', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'p',
      body: {
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: {
              containers: [
                { name: 'a', image: 'x:1', env: [{ name: 'E1', value: '1' }] },
                { name: 'b', image: 'y:1' },
              ],
            },
          },
        },
      },
    });
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'd',
        namespace: 'p',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'b', image: 'y:2' },
                  { name: 'a', env: [{ name: 'E2', value: '2' }] },
                ],
              },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const cs = patched.spec!.template.spec!.containers;
    expect(cs.map(c => `${c.name}:${c.image}`)).toEqual(['a:x:1', 'b:y:2']);
    expect(cs[0].env!.map(e => e.name)).toEqual(['E1', 'E2']);
    expect(patched.metadata!.generation).toBe(2);

    const deleted = await apps.patchNamespacedDeployment(
      {
        name: 'd',
        namespace: 'p',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'b', $patch: 'delete' }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(deleted.spec!.template.spec!.containers.map(c => c.name)).toEqual([
      'a',
    ]);
  });

  it('applies JSON merge patches (lists replaced, null deletes) and JSON patches', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'p',
      body: {
        metadata: { name: 'm', labels: { a: '1', b: '2' } },
        data: { x: '1' },
      },
    });
    const merged = await core.patchNamespacedConfigMap(
      {
        name: 'm',
        namespace: 'p',
        body: { metadata: { labels: { a: null, c: '3' } }, data: { y: '2' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata!.labels).toEqual({ b: '2', c: '3' });
    expect(merged.data).toEqual({ x: '1', y: '2' });
    const jp = await core.patchNamespacedConfigMap({
      name: 'm',
      namespace: 'p',
      body: [
        { op: 'test', path: '/data/x', value: '1' },
        { op: 'replace', path: '/data/x', value: '9' },
      ],
    });
    expect(jp.data!.x).toBe('9');
    // a failing test op is a 422 and changes nothing
    const failed = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/configmaps/m',
      [
        { op: 'test', path: '/data/x', value: 'nope' },
        { op: 'remove', path: '/data/y' },
      ],
      {
        'Content-Type': 'application/json-patch+json',
      },
    );
    expect(failed.status).toBe(422);
    const malformed = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/configmaps/m',
      { op: 'remove' },
      { 'Content-Type': 'application/json-patch+json' },
    );
    expect(malformed.status).toBe(400);
    const apply = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/configmaps/m',
      'data: {}',
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(apply.status).toBe(415);
    expect(
      (await core.readNamespacedConfigMap({ name: 'm', namespace: 'p' })).data,
    ).toEqual({ x: '9', y: '2' });
    // a patch carrying a stale resourceVersion conflicts
    const stale = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/configmaps/m',
      { metadata: { resourceVersion: '1' }, data: { z: '1' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(stale.status).toBe(409);
  });

  it('keeps status out of main-resource writes and spec out of status writes', async () => {
    const pvc = await core.createNamespacedPersistentVolumeClaim({
      namespace: 'p',
      body: {
        metadata: { name: 'c' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
        status: { phase: 'Bound' },
      },
    });
    expect(pvc.status!.phase).toBe('Pending');
    expect(pvc.spec!.volumeMode).toBe('Filesystem');
    expect(pvc.metadata!.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const st = await core.patchNamespacedPersistentVolumeClaimStatus(
      {
        name: 'c',
        namespace: 'p',
        body: { status: { phase: 'Bound' }, spec: { volumeName: 'sneaky' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(st.status!.phase).toBe('Bound');
    expect(st.spec!.volumeName).toBeUndefined();
    const main = await core.patchNamespacedPersistentVolumeClaim(
      {
        name: 'c',
        namespace: 'p',
        body: { status: { phase: 'Lost' }, spec: { volumeName: 'pv-1' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(main.status!.phase).toBe('Bound');
    expect(main.spec!.volumeName).toBe('pv-1');
    // bound: the spec is immutable except the storage request, which may only grow
    const shrink = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/persistentvolumeclaims/c',
      { spec: { resources: { requests: { storage: '500Mi' } } } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(shrink.status).toBe(422);
    const modes = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/persistentvolumeclaims/c',
      { spec: { accessModes: ['ReadWriteMany'] } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(modes.status).toBe(422);
    expect(modes.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueForbidden',
      field: 'spec',
    });
    const grow = await core.patchNamespacedPersistentVolumeClaim(
      {
        name: 'c',
        namespace: 'p',
        body: { spec: { resources: { requests: { storage: '2Gi' } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(grow.spec!.resources!.requests!.storage).toBe('2Gi');
  });

  it('validates PVCs like the real server', async () => {
    const res = await t.request(
      'POST',
      '/api/v1/namespaces/p/persistentvolumeclaims',
      { metadata: { name: 'bad' }, spec: {} },
    );
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'FieldValueRequired',
          field: 'spec.accessModes',
        }),
        expect.objectContaining({
          reason: 'FieldValueRequired',
          field: 'spec.resources[storage]',
        }),
      ]),
    );
    expect(res.body.message).toMatch(
      /^PersistentVolumeClaim "bad" is invalid: \[/,
    );
  });

  it('serves the scale subresource', async () => {
    const scale = await apps.readNamespacedDeploymentScale({
      name: 'd',
      namespace: 'p',
    });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { selector: 'app=d' },
    });
    const up = await apps.replaceNamespacedDeploymentScale({
      name: 'd',
      namespace: 'p',
      body: { metadata: { name: 'd', namespace: 'p' }, spec: { replicas: 4 } },
    });
    expect(up.spec!.replicas).toBe(4);
    expect(
      (await apps.readNamespacedDeployment({ name: 'd', namespace: 'p' })).spec!
        .replicas,
    ).toBe(4);
    const patched = await apps.patchNamespacedDeploymentScale(
      { name: 'd', namespace: 'p', body: { spec: { replicas: 0 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec!.replicas).toBe(0);
    const neg = await t.request(
      'PUT',
      '/apis/apps/v1/namespaces/p/deployments/d/scale',
      { metadata: { name: 'd' }, spec: { replicas: -1 } },
    );
    expect(neg.status).toBe(422);
  });

  it('binds pods once and deletes scheduled pods gracefully', async () => {
    const pod = await core.createNamespacedPod({
      namespace: 'p',
      body: podBody('web'),
    });
    expect(pod.status!.phase).toBe('Pending');
    expect(pod.spec!.restartPolicy).toBe('Always');
    expect(pod.spec!.terminationGracePeriodSeconds).toBe(30);
    expect(pod.spec!.serviceAccountName).toBe('default');
    await core.createNamespacedBinding({
      namespace: 'p',
      body: {
        metadata: { name: 'web' },
        target: { kind: 'Node', name: 'node-1' },
      },
    });
    const again = await t.request(
      'POST',
      '/api/v1/namespaces/p/pods/web/binding',
      { metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-2' } },
    );
    expect(again.status).toBe(409);
    const bound = await core.readNamespacedPod({ name: 'web', namespace: 'p' });
    expect(bound.spec!.nodeName).toBe('node-1');
    const onNode = await core.listNamespacedPod({
      namespace: 'p',
      fieldSelector: 'spec.nodeName=node-1',
    });
    expect(onNode.items).toHaveLength(1);
    // spec is immutable apart from images
    const img = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/pods/web',
      { spec: { containers: [{ name: 'app', image: 'busybox:1.37' }] } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    expect(img.status).toBe(200);
    const restart = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/pods/web',
      { spec: { restartPolicy: 'Never' } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    expect(restart.status).toBe(422);

    const deleting = await core.deleteNamespacedPod({
      name: 'web',
      namespace: 'p',
    });
    expect(deleting.metadata!.deletionTimestamp).toBeDefined();
    expect(deleting.metadata!.deletionGracePeriodSeconds).toBe(30);
    expect(
      (await core.readNamespacedPod({ name: 'web', namespace: 'p' })).metadata!
        .deletionTimestamp,
    ).toBeDefined();
    await core.deleteNamespacedPod({
      name: 'web',
      namespace: 'p',
      gracePeriodSeconds: 0,
    });
    await expect(
      core.readNamespacedPod({ name: 'web', namespace: 'p' }),
    ).rejects.toMatchObject({ code: 404 });

    await core.createNamespacedPod({
      namespace: 'p',
      body: podBody('unscheduled'),
    });
    await core.deleteNamespacedPod({ name: 'unscheduled', namespace: 'p' });
    await expect(
      core.readNamespacedPod({ name: 'unscheduled', namespace: 'p' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('evicts pods through pods/eviction', async () => {
    await core.createNamespacedPod({
      namespace: 'p',
      body: podBody('evictee', { nodeName: 'node-1' }),
    });
    await core.createNamespacedPodEviction({
      name: 'evictee',
      namespace: 'p',
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'evictee', namespace: 'p' },
        deleteOptions: { gracePeriodSeconds: 5 },
      },
    });
    const pod = await core.readNamespacedPod({
      name: 'evictee',
      namespace: 'p',
    });
    expect(pod.metadata!.deletionGracePeriodSeconds).toBe(5);
  });

  it('keeps objects with finalizers until they are removed, and honours propagation and preconditions', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'p',
      body: { metadata: { name: 'f', finalizers: ['example.com/hold'] } },
    });
    const del = await t.request('DELETE', '/api/v1/namespaces/p/configmaps/f', {
      propagationPolicy: 'Foreground',
    });
    expect(del.status).toBe(200);
    const held = await core.readNamespacedConfigMap({
      name: 'f',
      namespace: 'p',
    });
    expect(held.metadata!.deletionTimestamp).toBeDefined();
    expect(held.metadata!.finalizers).toEqual([
      'example.com/hold',
      'foregroundDeletion',
    ]);
    const add = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/configmaps/f',
      {
        metadata: {
          finalizers: ['example.com/hold', 'foregroundDeletion', 'new'],
        },
      },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(add.status).toBe(422);
    await core.patchNamespacedConfigMap(
      { name: 'f', namespace: 'p', body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await expect(
      core.readNamespacedConfigMap({ name: 'f', namespace: 'p' }),
    ).rejects.toMatchObject({ code: 404 });

    const o = await core.createNamespacedConfigMap({
      namespace: 'p',
      body: { metadata: { name: 'o' } },
    });
    const wrongUid = await t.request(
      'DELETE',
      '/api/v1/namespaces/p/configmaps/o',
      { preconditions: { uid: 'not-it' } },
    );
    expect(wrongUid.status).toBe(409);
    const dry = await t.request(
      'DELETE',
      '/api/v1/namespaces/p/configmaps/o?dryRun=All',
    );
    expect(dry.status).toBe(200);
    await core.readNamespacedConfigMap({ name: 'o', namespace: 'p' });
    await core
      .deleteNamespacedConfigMap({
        name: 'o',
        namespace: 'p',
        propagationPolicy: 'Orphan',
      })
      .catch(() => undefined);
    const orphaned = await core.readNamespacedConfigMap({
      name: 'o',
      namespace: 'p',
    });
    expect(orphaned.metadata!.finalizers).toEqual(['orphan']);
    expect(orphaned.metadata!.uid).toBe(o.metadata!.uid);
  });

  it('terminates namespaces and refuses new content in them', async () => {
    await core.createNamespace({ body: { metadata: { name: 'gone' } } });
    const ns = await core.deleteNamespace({ name: 'gone' });
    // client-node types the answer as a Status; the real server returns the Namespace
    expect((ns as any).status.phase).toBe('Terminating');
    const read = await core.readNamespace({ name: 'gone' });
    expect(read.spec!.finalizers).toEqual(['kubernetes']);
    const refused = await t.request(
      'POST',
      '/api/v1/namespaces/gone/configmaps',
      { metadata: { name: 'x' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.details.causes[0].reason).toBe('NamespaceTerminating');
    await core.replaceNamespaceFinalize({
      name: 'gone',
      body: { metadata: { name: 'gone' }, spec: { finalizers: [] } },
    });
    await expect(core.readNamespace({ name: 'gone' })).rejects.toMatchObject({
      code: 404,
    });
    const immortal = await t.request('DELETE', '/api/v1/namespaces/default');
    expect(immortal.status).toBe(403);
  });

  it('deletes collections by selector', async () => {
    for (const [n, l] of [
      ['k1', 'x'],
      ['k2', 'x'],
      ['k3', 'y'],
    ])
      await core.createNamespacedSecret({
        namespace: 'p',
        body: {
          metadata: { name: n, labels: { l } },
          stringData: undefined,
          data: { k: Buffer.from('v').toString('base64') },
        },
      });
    await core.deleteCollectionNamespacedSecret({
      namespace: 'p',
      labelSelector: 'l=x',
    });
    const left = await core.listNamespacedSecret({ namespace: 'p' });
    expect(left.items.map(s => s.metadata!.name)).toEqual(['k3']);
    const badB64 = await t.request('POST', '/api/v1/namespaces/p/secrets', {
      metadata: { name: 'b' },
      data: { k: 'not base64!' },
    });
    expect(badB64.status).toBe(400);
  });

  it('allocates ClusterIPs and NodePorts and keeps the ClusterIP immutable', async () => {
    const svc = await core.createNamespacedService({
      namespace: 'p',
      body: {
        metadata: { name: 's' },
        spec: {
          type: 'NodePort',
          selector: { app: 'x' },
          ports: [{ port: 80 }],
        },
      },
    });
    expect(svc.spec!.clusterIP).toMatch(
      /^127\.\d+\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+$/,
    );
    expect(svc.spec!.ports![0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(svc.spec!.ports![0].targetPort).toBe(80);
    const change = await t.request(
      'PATCH',
      '/api/v1/namespaces/p/services/s',
      { spec: { clusterIP: t.address.serviceRange.last } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(change.status).toBe(422);
    const taken = await t.request('POST', '/api/v1/namespaces/p/services', {
      metadata: { name: 's2' },
      spec: {
        type: 'NodePort',
        ports: [{ port: 80, nodePort: svc.spec!.ports![0].nodePort }],
      },
    });
    expect(taken.status).toBe(422);
  });
});
