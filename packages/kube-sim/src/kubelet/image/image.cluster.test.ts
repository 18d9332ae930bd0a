/**
 * A restricted image through a whole cluster: the kubelet reports a command the image lacks as a real
 * one does (container terminated with StartError, exit code 128, containerd's message; a Failed event),
 * and runs one the image has.
 */
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { startClusters, type SimWorld } from '../../index';
import { waitFor } from '../../testing/waitFor';

jest.setTimeout(120_000);

describe('images cluster option', () => {
  let world: SimWorld;
  let core: CoreV1Api;
  beforeAll(async () => {
    world = await startClusters([
      {
        name: 'img',
        images: {
          'registry.test/shell:1': { packages: ['dash', 'coreutils'] },
        },
      },
    ]);
    core = world.cluster('img').kubeConfig().makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const finished = (name: string) =>
    waitFor(`pod ${name} to finish`, async () => {
      const p = await core.readNamespacedPod({ name, namespace: 'default' });
      return ['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && p;
    });
  const pod = (name: string, command: string[]): V1Pod => ({
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'registry.test/shell:1', command }],
    },
  });

  it('terminates a container whose command the image lacks with StartError', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('missing', ['rsync', '--version']),
    });
    const p = await finished('missing');
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
      'unable to start container process: exec: "rsync": executable file not found in $PATH: unknown';
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.containerStatuses?.[0].state?.terminated).toMatchObject({
      reason: 'StartError',
      exitCode: 128,
      message,
    });
    const events = await core.listNamespacedEvent({ namespace: 'default' });
    expect(
      events.items
        .filter(
          e => e.involvedObject.name === 'missing' && e.reason === 'Failed',
        )
        .map(e => `${e.type} ${e.message}`),
    ).toEqual([`Warning Error: ${message}`]);
  });

  it('runs a command the image has', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('present', [
        '/bin/sh',
        '-c',
        'echo "$PATH"; cat --version | head -n 1',
      ]),
    });
    const p = await finished('present');
    expect(p.status?.phase).toBe('Succeeded');
    const log = await core.readNamespacedPodLog({
      name: 'present',
      namespace: 'default',
    });
    expect(log).toMatch(/^\/usr\/sbin:\/usr\/bin:\/bin\ncat \(GNU coreutils\)/);
  });
});
