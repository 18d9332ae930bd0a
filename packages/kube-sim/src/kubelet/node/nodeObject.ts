import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';

export const KUBELET_PORT = 10250;
export const KUBELET_VERSION = 'v1.28.0-kube-sim';

async function readTrim(p: string): Promise<string> {
  return fs.readFile(p, 'utf8').then(
    s => s.trim(),
    () => '',
  );
}

async function osImage(): Promise<string> {
  const rel = await readTrim('/etc/os-release');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(rel)?.[1] ?? 'Linux';
}

/** capacity == allocatable here: the simulated node reserves nothing for system daemons */
export function nodeResources(): Record<string, string> {
  return {
    cpu: String(os.cpus().length),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: '110',
    'ephemeral-storage': '100Gi',
  };
}

export function readyConditions(
  now: Date,
  prev?: V1NodeCondition[],
): V1NodeCondition[] {
  const mk = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ): V1NodeCondition => {
    const old = prev?.find(c => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime:
        old && old.status === status && old.lastTransitionTime
          ? old.lastTransitionTime
          : now,
    };
  };
  return [
    mk(
      'MemoryPressure',
      'False',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    mk(
      'DiskPressure',
      'False',
      'KubeletHasNoDiskPressure',
      'kubelet has no disk pressure',
    ),
    mk(
      'PIDPressure',
      'False',
      'KubeletHasSufficientPID',
      'kubelet has sufficient PID available',
    ),
    mk('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** The Node object the kubelet registers, with the status a real kubelet reports. */
export async function buildNode(
  nodeName: string,
  nodeIP: string,
): Promise<V1Node> {
  const resources = nodeResources();
  const arch = os.arch() === 'x64' ? 'amd64' : os.arch();
  const machineID = (await readTrim('/etc/machine-id')) || nodeName;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': arch,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [
        { type: 'InternalIP', address: nodeIP },
        { type: 'Hostname', address: nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      conditions: readyConditions(new Date()),
      nodeInfo: {
        machineID,
        systemUUID: machineID,
        bootID: await readTrim('/proc/sys/kernel/random/boot_id'),
        kernelVersion: os.release(),
        osImage: await osImage(),
        containerRuntimeVersion: 'kube-sim://0.1.0',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: arch,
      },
    },
  };
}
