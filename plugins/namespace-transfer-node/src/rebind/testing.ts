/**
 * Test support for the rebind tests (kube-sim): a storage class that allows handing volumes over, and a
 * pod that reads a file from a claim and prints it.
 */
import {
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import { pollUntil } from '../kube';

/**
 * `volumeBindingMode` WaitForFirstConsumer (most CSI classes): a claim no pod uses stays Pending, neither
 * provisioned nor bound, as the claim a user makes for a rebind to adopt does on a real cluster.
 */
export async function ensureClass(
  kc: KubeConfig,
  name: string,
  allow?: 'true' | 'false',
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer' = 'Immediate',
) {
  const annotations = allow
    ? { 'namespace-transfer.io/allow-transfer': allow }
    : undefined;
  await kc
    .makeApiClient(StorageV1Api)
    .createStorageClass({
      body: {
        metadata: { name, annotations },
        provisioner: 'kube-sim.io/hostpath',
        volumeBindingMode,
        reclaimPolicy: 'Delete',
      },
    })
    .catch(e => {
      if (e?.code !== 409) throw e;
    });
}

/** Runs a pod that mounts the claim and cats a file; returns what it printed. */
export async function readThroughPod(
  kc: KubeConfig,
  namespace: string,
  claimName: string,
  file: string,
  podName = 'reader',
): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: podName },
      spec: {
        restartPolicy: 'Never',
        securityContext: {
          runAsUser: 1001,
          runAsGroup: 1001,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [
          {
            name: 'cat',
            image: 'busybox',
            command: ['cat', `/data/${file}`],
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
      },
    },
  });
  const phase = await pollUntil(
    async () => {
      const p = await core.readNamespacedPod({ namespace, name: podName });
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'
        ? p.status.phase
        : undefined;
    },
    { timeoutMs: 60_000, what: `pod ${namespace}/${podName} to finish` },
  );
  const log = await core.readNamespacedPodLog({ namespace, name: podName });
  // a finished pod still holds the claim (pvc-protection): remove it so the claim can move again
  await core.deleteNamespacedPod({
    namespace,
    name: podName,
    gracePeriodSeconds: 0,
  });
  if (phase !== 'Succeeded') throw new Error(`reader pod ${phase}: ${log}`);
  return log;
}
