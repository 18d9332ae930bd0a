/**
 * Quiesce and restore on kube-sim (OpenShift-flavoured, so DeploymentConfigs are served): Deployments,
 * StatefulSets, CronJobs and DeploymentConfigs, previous values recorded on the objects.
 */
import {
  AppsV1Api,
  BatchV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { startClusters, type SimWorld } from 'kube-sim';
import { workloadsUsingClaim } from '../gather';
import { pollUntil } from '../kube';
import { ensureNamespace } from '../testing/kubesim';
import {
  QUIESCED_BY,
  QUIESCED_REPLICAS,
  quiescedWorkloads,
  quiesceWorkloads,
  restoreWorkloads,
} from '.';

jest.setTimeout(120_000);

const template = (app: string): V1PodTemplateSpec => ({
  metadata: { labels: { app } },
  spec: {
    containers: [
      {
        name: 'c',
        image: 'x',
        command: ['sleep', '3600'],
        volumeMounts: [{ name: 'd', mountPath: '/d' }],
      },
    ],
    volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
  },
});

describe('quiesce on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  beforeAll(async () => {
    world = await startClusters([{ name: 'os', openshift: true }]);
    kc = world.cluster('os').kubeConfig();
    await ensureNamespace(kc, 'q');
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('scales down, suspends, records, and restores exactly what it changed', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    // replicas 0 on the Deployment: the test is about the objects, not about pods starting
    await apps.createNamespacedDeployment({
      namespace: 'q',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web' } },
          template: template('web'),
        },
      },
    });
    await apps.createNamespacedStatefulSet({
      namespace: 'q',
      body: {
        metadata: { name: 'db' },
        spec: {
          replicas: 0,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: template('db'),
        },
      },
    });
    await batch.createNamespacedCronJob({
      namespace: 'q',
      body: {
        metadata: { name: 'backup' },
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: {
            spec: {
              template: {
                ...template('backup'),
                spec: { ...template('backup').spec!, restartPolicy: 'Never' },
              },
            },
          },
        },
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'apps.openshift.io',
      version: 'v1',
      namespace: 'q',
      plural: 'deploymentconfigs',
      body: {
        apiVersion: 'apps.openshift.io/v1',
        kind: 'DeploymentConfig',
        metadata: { name: 'legacy' },
        spec: {
          replicas: 3,
          selector: { app: 'legacy' },
          template: template('legacy'),
        },
      },
    });
    // someone else's workload that does not mount the claim is not touched
    await apps.createNamespacedDeployment({
      namespace: 'q',
      body: {
        metadata: { name: 'other' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'o' } },
          template: {
            metadata: { labels: { app: 'o' } },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        },
      },
    });

    const workloads = await workloadsUsingClaim(kc, 'q', 'data', {
      openshift: true,
    });
    expect(workloads.map(w => `${w.ref.kind}/${w.ref.name}`).sort()).toEqual([
      'CronJob/backup',
      'Deployment/web',
      'DeploymentConfig/legacy',
      'StatefulSet/db',
    ]);
    const refs = workloads.map(w => w.ref);

    // make the Deployment's recorded value interesting
    const web = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'q',
    });
    web.spec!.replicas = 2;
    await apps.replaceNamespacedDeployment({
      name: 'web',
      namespace: 'q',
      body: web,
    });

    await quiesceWorkloads(kc, refs, 't1');
    await quiesceWorkloads(kc, refs, 't1'); // a re-run keeps the first recorded values
    const webQ = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'q',
    });
    expect(webQ.spec!.replicas).toBe(0);
    expect(webQ.metadata!.annotations).toMatchObject({
      [QUIESCED_BY]: 't1',
      [QUIESCED_REPLICAS]: '2',
    });
    expect(
      (await batch.readNamespacedCronJob({ name: 'backup', namespace: 'q' }))
        .spec!.suspend,
    ).toBe(true);
    const dc = (await custom.getNamespacedCustomObject({
      group: 'apps.openshift.io',
      version: 'v1',
      namespace: 'q',
      plural: 'deploymentconfigs',
      name: 'legacy',
    })) as { spec: { replicas: number } };
    expect(dc.spec.replicas).toBe(0);
    // another transfer may not take over workloads quiesced by this one
    await expect(quiesceWorkloads(kc, refs, 't2')).rejects.toThrow(
      /quiesced by transfer t1/,
    );

    await restoreWorkloads(kc, refs, 't1');
    const webR = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'q',
    });
    expect(webR.spec!.replicas).toBe(2);
    expect(webR.metadata!.annotations?.[QUIESCED_BY]).toBeUndefined();
    expect(
      (await batch.readNamespacedCronJob({ name: 'backup', namespace: 'q' }))
        .spec!.suspend,
    ).toBe(false);
    const dcR = (await custom.getNamespacedCustomObject({
      group: 'apps.openshift.io',
      version: 'v1',
      namespace: 'q',
      plural: 'deploymentconfigs',
      name: 'legacy',
    })) as { spec: { replicas: number } };
    expect(dcR.spec.replicas).toBe(3);
  });

  it('leaves no quiesce mark behind on the ReplicaSets the Deployment controller copied its annotations to', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'q',
      body: {
        metadata: { name: 'api' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'api' } },
          template: template('api'),
        },
      },
    });
    const marked = async () =>
      (await apps.listNamespacedReplicaSet({ namespace: 'q' })).items
        .filter(r => r.metadata?.ownerReferences?.[0]?.name === 'api')
        .map(r => r.metadata?.annotations?.[QUIESCED_BY]);
    const ref = {
      kind: 'Deployment' as const,
      namespace: 'q',
      name: 'api',
      replicas: 0,
    };
    await quiesceWorkloads(kc, [ref], 't-copy');
    // the controller copies the Deployment's annotations onto its ReplicaSet, as the real one does
    await pollUntil(
      async () => ((await marked()).includes('t-copy') ? true : undefined),
      { timeoutMs: 30_000, what: 'the mark to be copied to the ReplicaSet' },
    );
    // a rollback or cleanup reading the cluster finds the Deployment, not its ReplicaSet, to give back
    expect(await quiescedWorkloads(kc, 'q', 't-copy')).toEqual([
      { kind: 'Deployment', namespace: 'q', name: 'api' },
    ]);
    await restoreWorkloads(kc, [ref], 't-copy');
    expect(await marked()).toEqual([undefined]);
    const d = await apps.readNamespacedDeployment({
      name: 'api',
      namespace: 'q',
    });
    expect(d.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
  });
});
