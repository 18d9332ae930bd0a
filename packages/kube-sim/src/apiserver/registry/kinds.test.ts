/** Defaulting and validation of the built-in kinds, through the API so the whole write path is exercised. */
import { startTestServer, type TestServer } from '../testutil';

describe('kinds: defaults and validation', () => {
  let t: TestServer;
  const post = (path: string, body: unknown) => t.request('POST', path, body);
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);

  beforeAll(async () => {
    t = await startTestServer({ openshift: true });
    await post('/api/v1/namespaces', { metadata: { name: 'k' } });
  });
  afterAll(() => t.stop());

  it('validates pod specs', async () => {
    const res = await post('/api/v1/namespaces/k/pods', {
      metadata: { name: 'bad' },
      spec: {
        restartPolicy: 'Sometimes',
        containers: [
          {
            name: 'a',
            image: 'x',
            ports: [{ containerPort: 70000 }],
            volumeMounts: [{ name: 'nope', mountPath: '/d' }],
          },
          { name: 'a' },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(causes(res)).toEqual(
      expect.arrayContaining([
        'FieldValueInvalid spec.containers[0].ports[0].containerPort',
        'FieldValueNotFound spec.containers[0].volumeMounts[0].name',
        'FieldValueDuplicate spec.containers[1].name',
        'FieldValueRequired spec.containers[1].image',
        'FieldValueNotSupported spec.restartPolicy',
      ]),
    );
    const noContainers = await post('/api/v1/namespaces/k/pods', {
      metadata: { name: 'empty' },
      spec: {},
    });
    expect(causes(noContainers)).toEqual([
      'FieldValueRequired spec.containers',
    ]);
    const noSa = await post('/api/v1/namespaces/k/pods', {
      metadata: { name: 'sa' },
      spec: {
        serviceAccountName: 'ghost',
        containers: [{ name: 'a', image: 'x' }],
      },
    });
    expect(noSa.status).toBe(403);
  });

  it('enforces Pod Security levels from namespace labels', async () => {
    await post('/api/v1/namespaces', {
      metadata: {
        name: 'locked',
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    });
    const loose = await post('/api/v1/namespaces/locked/pods', {
      metadata: { name: 'loose' },
      spec: { containers: [{ name: 'a', image: 'x' }] },
    });
    expect(loose.status).toBe(403);
    expect(loose.body.message).toMatch(
      /^pods "loose" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
    );
    const tight = await post('/api/v1/namespaces/locked/pods', {
      metadata: { name: 'tight' },
      spec: {
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 1000,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [
          {
            name: 'a',
            image: 'x',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    });
    expect(tight.status).toBe(201);
  });

  it('defaults pods like the real server', async () => {
    const res = await post('/api/v1/namespaces/k/pods', {
      metadata: { name: 'ok' },
      spec: {
        containers: [
          { name: 'a', image: 'x:1', ports: [{ containerPort: 80 }] },
        ],
        volumes: [{ name: 's', secret: { secretName: 's' } }],
      },
    });
    expect(res.status).toBe(201);
    const p = res.body;
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
    });
    expect(p.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(p.spec.volumes[0].secret.defaultMode).toBe(420);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('checks workload selectors against templates and keeps them immutable', async () => {
    const mismatch = await post('/apis/apps/v1/namespaces/k/statefulsets', {
      metadata: { name: 's' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'b' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    });
    expect(causes(mismatch)).toEqual([
      'FieldValueInvalid spec.template.metadata.labels',
    ]);
    const ok = await post('/apis/apps/v1/namespaces/k/statefulsets', {
      metadata: { name: 's' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'a', v: '1' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: '1Gi' } },
            },
          },
        ],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
    });
    expect(ok.body.spec.volumeClaimTemplates[0].spec.volumeMode).toBe(
      'Filesystem',
    );
    const changed = await t.request(
      'PATCH',
      '/apis/apps/v1/namespaces/k/statefulsets/s',
      { spec: { selector: { matchLabels: { app: 'a', v: '1' } } } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(causes(changed)).toContain('FieldValueInvalid spec.selector');
    const policy = await t.request(
      'PATCH',
      '/apis/apps/v1/namespaces/k/statefulsets/s',
      { spec: { podManagementPolicy: 'Parallel' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(causes(policy)).toEqual(['FieldValueForbidden spec']);
    const scaled = await t.request(
      'PATCH',
      '/apis/apps/v1/namespaces/k/statefulsets/s',
      { spec: { replicas: 0 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(scaled.status).toBe(200);
  });

  it('generates Job selectors from the uid and validates restart policies', async () => {
    const job = await post('/apis/batch/v1/namespaces/k/jobs', {
      metadata: { name: 'j' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'c', image: 'x' }],
          },
        },
      },
    });
    expect(job.status).toBe(201);
    expect(
      job.body.spec.selector.matchLabels['batch.kubernetes.io/controller-uid'],
    ).toBe(job.body.metadata.uid);
    expect(job.body.spec.template.metadata.labels['job-name']).toBe('j');
    expect(job.body.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
    });
    const always = await post('/apis/batch/v1/namespaces/k/jobs', {
      metadata: { name: 'j2' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Always',
            containers: [{ name: 'c', image: 'x' }],
          },
        },
      },
    });
    expect(causes(always)).toContain(
      'FieldValueNotSupported spec.template.spec.restartPolicy',
    );
    const cron = await post('/apis/batch/v1/namespaces/k/cronjobs', {
      metadata: { name: 'c' },
      spec: {
        schedule: 'every day',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'c', image: 'x' }],
              },
            },
          },
        },
      },
    });
    expect(causes(cron)).toEqual(['FieldValueInvalid spec.schedule']);
  });

  it('keeps StorageClass parameters and provisioner immutable and defaults PVs', async () => {
    const sc = await post('/apis/storage.k8s.io/v1/storageclasses', {
      metadata: { name: 'fast' },
      provisioner: 'kube-sim.io/hostpath',
      parameters: { root: '/a' },
    });
    expect(sc.body).toMatchObject({
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
    const change = await t.request(
      'PATCH',
      '/apis/storage.k8s.io/v1/storageclasses/fast',
      { parameters: { root: '/b' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(causes(change)).toEqual(['FieldValueForbidden parameters']);
    const pv = await post('/api/v1/persistentvolumes', {
      metadata: { name: 'pv1' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/tmp/x' },
      },
    });
    expect(pv.body.spec).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
    expect(pv.body.status.phase).toBe('Pending');
    const noSource = await post('/api/v1/persistentvolumes', {
      metadata: { name: 'pv2' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
    });
    expect(causes(noSource)).toEqual(['FieldValueRequired spec']);
    const reclaim = await t.request(
      'PATCH',
      '/api/v1/persistentvolumes/pv1',
      {
        spec: {
          persistentVolumeReclaimPolicy: 'Delete',
          claimRef: { namespace: 'k', name: 'c' },
        },
      },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(reclaim.status).toBe(200);
  });

  it('serves OpenShift kinds and namespace UID ranges', async () => {
    const ns = await t.request('GET', '/api/v1/namespaces/k');
    expect(
      ns.body.metadata.annotations['openshift.io/sa.scc.uid-range'],
    ).toMatch(/^\d+\/10000$/);
    const route = await post(
      '/apis/route.openshift.io/v1/namespaces/k/routes',
      {
        metadata: { name: 'web' },
        spec: {
          to: { kind: 'Service', name: 'web' },
          tls: { termination: 'passthrough' },
        },
      },
    );
    expect(route.body.spec.host).toBe('web-k.apps.test.kube-sim.local');
    const dc = await post(
      '/apis/apps.openshift.io/v1/namespaces/k/deploymentconfigs',
      {
        metadata: { name: 'dc' },
        spec: {
          replicas: 2,
          selector: { app: 'dc' },
          template: {
            metadata: { labels: { app: 'dc' } },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        },
      },
    );
    expect(dc.status).toBe(201);
    const scale = await t.request(
      'GET',
      '/apis/apps.openshift.io/v1/namespaces/k/deploymentconfigs/dc/scale',
    );
    expect(scale.body).toMatchObject({
      spec: { replicas: 2 },
      status: { selector: 'app=dc' },
    });
  });

  it('accepts YAML bodies and refuses other media types', async () => {
    const yaml = await t.request(
      'POST',
      '/api/v1/namespaces/k/configmaps',
      'metadata:\n  name: from-yaml\ndata:\n  a: "1"\n',
      { 'Content-Type': 'application/yaml' },
    );
    expect(yaml.status).toBe(201);
    expect(yaml.body.data).toEqual({ a: '1' });
    const proto = await t.request(
      'POST',
      '/api/v1/namespaces/k/configmaps',
      'x',
      { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
    );
    expect(proto.status).toBe(415);
  });

  it('merges Secret stringData into data, defaults the storage class, creates Endpoints on PUT', async () => {
    const s = await post('/api/v1/namespaces/k/secrets', {
      metadata: { name: 'sd' },
      data: { a: 'YQ==' },
      stringData: { a: 'override', b: 'bee' },
    });
    expect(s.body.data).toEqual({
      a: Buffer.from('override').toString('base64'),
      b: Buffer.from('bee').toString('base64'),
    });
    expect(s.body.stringData).toBeUndefined();
    await post('/apis/storage.k8s.io/v1/storageclasses', {
      metadata: {
        name: 'standard',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'kube-sim.io/hostpath',
    });
    const spec = {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    };
    const defaulted = await post(
      '/api/v1/namespaces/k/persistentvolumeclaims',
      { metadata: { name: 'dflt' }, spec },
    );
    expect(defaulted.body.spec.storageClassName).toBe('standard');
    const explicitNone = await post(
      '/api/v1/namespaces/k/persistentvolumeclaims',
      { metadata: { name: 'none' }, spec: { ...spec, storageClassName: '' } },
    );
    expect(explicitNone.body.spec.storageClassName).toBe('');
    const ep = await t.request('PUT', '/api/v1/namespaces/k/endpoints/svc', {
      metadata: { name: 'svc' },
      subsets: [],
    });
    expect(ep.status).toBe(201);
    const cm = await t.request(
      'PUT',
      '/api/v1/namespaces/k/configmaps/absent',
      { metadata: { name: 'absent' } },
    );
    expect(cm.status).toBe(404);
  });

  it('validates secrets and config maps', async () => {
    const tls = await post('/api/v1/namespaces/k/secrets', {
      metadata: { name: 't' },
      type: 'kubernetes.io/tls',
      data: {},
    });
    expect(causes(tls)).toEqual([
      'FieldValueRequired data[tls.crt]',
      'FieldValueRequired data[tls.key]',
    ]);
    const key = await post('/api/v1/namespaces/k/configmaps', {
      metadata: { name: 'c' },
      data: { 'bad key': 'x' },
    });
    expect(causes(key)).toEqual(['FieldValueInvalid data[bad key]']);
    const s = await post('/api/v1/namespaces/k/secrets', {
      metadata: { name: 'ok' },
      data: { a: 'YQ==' },
    });
    expect(s.body.type).toBe('Opaque');
    const typeChange = await t.request(
      'PATCH',
      '/api/v1/namespaces/k/secrets/ok',
      { type: 'other' },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(causes(typeChange)).toEqual(['FieldValueInvalid type']);
  });
});
