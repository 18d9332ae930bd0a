/** Small builders for the demo's manifests: plain objects, as a user would write them in YAML. */

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any>;
  [k: string]: any;
};

export const PROVISIONER = 'kube-sim.io/hostpath';

export function namespace(
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels, annotations },
  };
}

/** The StorageClass annotation by which a cluster's operator lets a rebind hand its volumes over. */
export const ALLOW_TRANSFER_ANNOTATION = 'namespace-transfer.io/allow-transfer';

export function storageClass(
  name: string,
  reclaimPolicy: 'Delete' | 'Retain',
  opts: { isDefault?: boolean; allowTransfer?: boolean } = {},
): Manifest {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      annotations: {
        ...(opts.isDefault
          ? { 'storageclass.kubernetes.io/is-default-class': 'true' }
          : {}),
        ...(opts.allowTransfer ? { [ALLOW_TRANSFER_ANNOTATION]: 'true' } : {}),
      },
    },
    provisioner: PROVISIONER,
    reclaimPolicy,
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  };
}

export function pvc(
  ns: string,
  name: string,
  size: string,
  storageClassName: string,
  labels: Record<string, string>,
): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: ns, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: size } },
    },
  };
}

export interface Identity {
  uid: number;
  gid: number;
}

/** Pod Security "restricted" as every demo workload runs. */
export function restrictedPod(id: Identity) {
  return {
    runAsNonRoot: true,
    runAsUser: id.uid,
    runAsGroup: id.gid,
    fsGroup: id.gid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export const restrictedContainer = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/**
 * The application's container writes its own sample data on first start, like a real service filling its
 * volume, then idles. The files are real: text records, a binary blob, a symlink and a hard link.
 */
export function seedScript(opts: { records: number; blobMiB: number }): string {
  return [
    'set -e',
    'if [ ! -e /data/.seeded ]; then',
    '  mkdir -p /data/records',
    `  i=1; while [ $i -le ${opts.records} ]; do echo "record $i of $(hostname) $(date -u +%FT%TZ)" > /data/records/r$i.txt; i=$((i+1)); done`,
    `  head -c ${opts.blobMiB * 1024 * 1024} /dev/urandom > /data/blob.bin`,
    '  ln -sf records/r1.txt /data/latest',
    '  ln -f /data/records/r1.txt /data/first-record.txt',
    '  touch /data/.seeded',
    'fi',
    'exec sleep infinity',
  ].join('\n');
}

/** A Deployment whose pod fills the claim with sample data; it belongs to the entity `kubernetesId` names. */
export function deployment(
  ns: string,
  name: string,
  claim: string,
  id: Identity,
  data: { records: number; blobMiB: number },
  kubernetesId = name,
): Manifest {
  const labels = { app: name, 'backstage.io/kubernetes-id': kubernetesId };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          securityContext: restrictedPod(id),
          containers: [
            {
              name: 'app',
              image: 'registry.example/demo/app:1.0',
              command: ['/bin/sh', '-c', seedScript(data)],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              securityContext: restrictedContainer,
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: claim } },
          ],
        },
      },
    },
  };
}

export function statefulSet(
  ns: string,
  name: string,
  kubernetesId: string,
  id: Identity,
  size: string,
  storageClassName: string,
): Manifest {
  const labels = { app: name, 'backstage.io/kubernetes-id': kubernetesId };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: 1,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          securityContext: restrictedPod(id),
          containers: [
            {
              name: 'cache',
              image: 'registry.example/demo/cache:1.0',
              command: [
                '/bin/sh',
                '-c',
                seedScript({ records: 50, blobMiB: 1 }),
              ],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
              securityContext: restrictedContainer,
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: {
            name: 'data',
            labels: { 'backstage.io/kubernetes-id': kubernetesId },
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName,
            resources: { requests: { storage: size } },
          },
        },
      ],
    },
  };
}
