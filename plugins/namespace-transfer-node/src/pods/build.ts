import type {
  V1ConfigMap,
  V1EnvVar,
  V1Pod,
  V1PodSecurityContext,
  V1Secret,
  V1Volume,
} from '@kubernetes/client-node';
import { SECRET_VOLUME_MODE } from '../permissions';
import type { MoverContainerResources } from '@namespace-transfer/plugin-namespace-transfer-common';
import { VOLUME_NAMES, type Side } from '../sides';
import { moverContainerResources } from './resources';

export interface PodVolumeClaim {
  module: string;
  claimName: string;
  readOnly: boolean;
}

export interface PodOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  side: Side;
  claims: PodVolumeClaim[];
  secretName: string;
  configMapName: string;
  securityContext: V1PodSecurityContext;
  restartPolicy: 'Always' | 'Never' | 'OnFailure';
  /**
   * Mode of the Secret volume's files. Without an fsGroup they are owned by root:root, so a pod that must
   * not set one (the client: an fsGroup would re-group the source's files) needs them world-readable;
   * only this pod's containers see the volume.
   */
  secretMode?: number;
  /** keep the client next to the application pod when a ReadWriteOnce source is still mounted */
  nodeName?: string;
  /** each container's requests (and limits); default DEFAULT_MOVER_REQUESTS, never none */
  resources?: MoverContainerResources;
}

// the server's address for movers that must bind it explicitly (static binaries)
const POD_IP: V1EnvVar = {
  name: 'POD_IP',
  valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
};

/** A mover pod from a merged Side: its volumes are the data claims, the Secret, the ConfigMap and scratch. */
export function buildPod(o: PodOptions): V1Pod {
  const volumes: V1Volume[] = [
    ...o.claims.map(c => ({
      name: VOLUME_NAMES.data(c.module),
      persistentVolumeClaim: { claimName: c.claimName, readOnly: c.readOnly },
    })),
    {
      name: VOLUME_NAMES.secret,
      secret: {
        secretName: o.secretName,
        defaultMode: o.secretMode ?? SECRET_VOLUME_MODE,
      },
    },
    {
      name: VOLUME_NAMES.config,
      configMap: { name: o.configMapName, defaultMode: 0o444 },
    },
    { name: VOLUME_NAMES.scratch, emptyDir: {} },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      restartPolicy: o.restartPolicy,
      // the mover needs no Kubernetes API access
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: o.securityContext,
      // required node affinity rather than nodeName: the scheduler still checks the node can take the pod
      ...(o.nodeName
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    {
                      matchFields: [
                        {
                          key: 'metadata.name',
                          operator: 'In',
                          values: [o.nodeName],
                        },
                      ],
                    },
                  ],
                },
              },
            },
          }
        : {}),
      terminationGracePeriodSeconds: 5,
      containers: o.side.containers.map(c => ({
        ...c,
        env: [POD_IP, ...(c.env ?? [])],
        resources: structuredClone(
          o.resources ?? moverContainerResources(undefined),
        ),
      })),
      volumes,
    },
  };
}

export function buildSecret(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels },
    type: 'Opaque',
    stringData: data,
  };
}

export function buildConfigMap(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data,
  };
}
