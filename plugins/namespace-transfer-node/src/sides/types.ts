import type { V1Container } from '@kubernetes/client-node';

/**
 * Where things are inside a mover pod. The pod builder mounts the volumes at these paths; the seams
 * (transfer, transport) write their container specs against them. A test on the host passes temp
 * directories instead, so the exact same configs and commands run as local processes.
 *
 * @public
 */
export interface PodLayout {
  /** parent of the data mounts: module `m` is mounted at `${dataRoot}/${m}` */
  dataRoot: string;
  /** Secret volume (key material, passwords): read-only */
  secretDir: string;
  /** ConfigMap volume (config files): read-only */
  configDir: string;
  /** emptyDir shared by the containers of one pod (logs, the "done" marker) */
  scratchDir: string;
  /** address for programs that read their listen address from a config file (the shim maps 0.0.0.0) */
  listenHost: string;
  /** address for listen flags on the command line; `$(POD_IP)` in a pod (Kubernetes expands it) */
  listenHostArg: string;
  /** the pod-local loopback address */
  loopback: string;
}

/**
 * Names of the pod volumes the containers refer to; the pod builder defines them.
 *
 * @public
 */
export const VOLUME_NAMES = {
  data: (module: string) => `data-${module}`,
  secret: 'nstransfer-secret',
  config: 'nstransfer-config',
  scratch: 'scratch',
} as const;

/** @public */
export const POD_LAYOUT: PodLayout = {
  dataRoot: '/data',
  secretDir: '/etc/nstransfer/secret',
  configDir: '/etc/nstransfer/config',
  scratchDir: '/var/run/nstransfer',
  listenHost: '0.0.0.0',
  listenHostArg: '$(POD_IP)',
  loopback: '127.0.0.1',
};

/**
 * A PVC as the mover sees it: a module name (DNS-label safe) and the mount path inside the pod.
 *
 * @public
 */
export interface ModuleSpec {
  name: string;
}

/** @public */
export function modulePath(layout: PodLayout, module: ModuleSpec): string {
  return `${layout.dataRoot}/${module.name}`;
}

/**
 * Ports inside the pods. Defaults are above 1024 because the pods never run as root.
 *
 * @public
 */
export interface Ports {
  /** the mover server listens here (pod-local when a transport fronts it) */
  mover: number;
  /** the port the Service/exposure targets in the server pod */
  exposed: number;
  /** the client's transport sidecar listens here for the mover client */
  clientLocal: number;
}

/** @public */
export const DEFAULT_PORTS: Ports = {
  mover: 8873,
  exposed: 8443,
  clientLocal: 8874,
};

/**
 * One half (server or client) of a seam's contribution to a pod.
 *
 * @public
 */
export interface Side {
  containers: V1Container[];
  /** goes into the side's Secret (mounted at layout.secretDir) */
  secretData: Record<string, string>;
  /** goes into the side's ConfigMap (mounted at layout.configDir) */
  configData: Record<string, string>;
}

/** @public */
export interface HostPort {
  host: string;
  port: number;
}
