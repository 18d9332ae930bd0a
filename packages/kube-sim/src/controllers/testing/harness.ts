import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiServer } from '../../contracts';
import { MASTER, startTestApiServer } from '../../testing/apiServer';
import { startControllers, type PvBinder, type PvBinderOptions } from '..';
import { retryOnConflict } from '../../client/conflict';
import { R, type ResourceRef } from '../kube/resources';
import { RestClient } from '../kube/rest';
import { nowIso, type KubeObject, type Node, type Pod } from '../kube/types';

/**
 * A real kube-sim API server with the controllers running against it, for integration tests. There is no
 * kubelet: tests register a Node and write pods/status themselves where a kubelet would.
 */
export interface ControllerHarness {
  api: ApiServer;
  /** admin client (system:masters) for the test's own calls */
  kc: KubeConfig;
  rest: RestClient;
  dataDir: string;
  nodeName: string;
  /** the PV controller (tests count or run its periodic syncs) */
  pvBinder: PvBinder;
  stop(): Promise<void>;
}

export async function startHarness(
  name: string,
  opts: { pvBinder?: PvBinderOptions } = {},
): Promise<ControllerHarness> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `ctrl-${name}-`));
  const server = await startTestApiServer({
    name,
    tokens: {
      admin: MASTER,
      controllers: { ...MASTER, username: 'system:kube-controller-manager' },
    },
  });
  const kc = server.kubeConfig('admin');
  const nodeName = `${name}-node-1`;
  let controllers: Awaited<ReturnType<typeof startControllers>> | undefined;
  const rest = new RestClient(kc);
  try {
    controllers = await startControllers({
      kubeConfig: server.kubeConfig('controllers'),
      clusterName: name,
      dataDir,
      nodeName,
      pvBinder: opts.pvBinder,
    });
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    api: server.api,
    kc,
    rest,
    dataDir,
    nodeName,
    pvBinder: controllers.pvBinder,
    async stop() {
      await controllers?.stop();
      rest.close();
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { waitFor } from '../../testing/waitFor';

/** Registers a Ready node, as a kubelet would. */
export async function registerNode(
  rest: RestClient,
  name: string,
  labels: Record<string, string> = {},
): Promise<Node> {
  const node = await rest.create<Node>(R.nodes, undefined, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  });
  return rest.updateStatus(R.nodes, {
    ...node,
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: nowIso(),
          lastTransitionTime: nowIso(),
        },
      ],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    },
  });
}

/** Writes pods/status as a kubelet that started the pod would: Running, with an IP, Ready or not. */
export async function markPodRunning(
  rest: RestClient,
  namespace: string,
  name: string,
  ip: string,
  ready = true,
): Promise<Pod> {
  const pod = await rest.get<Pod>(R.pods, namespace, name);
  const now = nowIso();
  return rest.updateStatus(R.pods, {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        {
          type: 'ContainersReady',
          status: ready ? 'True' : 'False',
          lastTransitionTime: now,
        },
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: now,
        },
      ],
    },
  });
}

export async function markPodFinished(
  rest: RestClient,
  namespace: string,
  name: string,
  phase: 'Succeeded' | 'Failed',
): Promise<Pod> {
  const pod = await rest.get<Pod>(R.pods, namespace, name);
  return rest.updateStatus(R.pods, {
    ...pod,
    status: {
      ...pod.status,
      phase,
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
    },
  });
}

/**
 * A user's edit: read, change, write, and read again when a controller wrote the object meanwhile
 * (client-go's RetryOnConflict), so tests do not fail on the controllers' own status writes.
 */
export async function edit<T extends KubeObject>(
  h: ControllerHarness,
  resource: ResourceRef,
  namespace: string,
  name: string,
  change: (obj: T) => T,
): Promise<T> {
  return retryOnConflict(async () =>
    h.rest.update<T>(
      resource,
      change(await h.rest.get<T>(resource, namespace, name)),
    ),
  );
}
