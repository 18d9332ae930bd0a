import {
  CustomObjectsApi,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  isTerminalPhase,
  type TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { httpStatus, readableError, withRetry } from '../clusters';
import { POINT_OF_NO_RETURN, RebindRefusedError, runRebind } from '../rebind';
import { matchApproval } from './match';
import { RequestStatusWriter, setCondition } from './status';
import {
  APPROVALS,
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  type NamespaceTransferApproval,
  type NamespaceTransferRequest,
} from './types';

/** @public */
export interface KepControllerOptions {
  kubeConfig: KubeConfig;
  /** the name the engine uses for this cluster in transfer specs */
  clusterName?: string;
  allowTransferDefault?: boolean;
  /** delay before a watch that failed (dropped, 410 Gone, server away) is started again with a fresh list */
  restartDelayMs?: number;
  log?: (message: string) => void;
}

/** @public */
export interface KepController {
  /** resolves once both kinds were listed */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const key = (ns: string, name: string) => `${ns}/${name}`;

/**
 * The transfer id of a request: stable across controller restarts, unique per request object.
 *
 * @public
 */
export const transferIdOf = (r: NamespaceTransferRequest) =>
  `kep-${r.metadata.uid}`;

/**
 * Runs the KEP: watches NamespaceTransferRequests and NamespaceTransferApprovals in all namespaces, runs a
 * rebind for a request once a matching approval exists, and writes the progress into the request's status.
 * The checkpoint lives in the request's status, so a restarted controller continues where the last one
 * stopped; one process runs a given request at a time.
 *
 * @public
 */
export function startKepController(o: KepControllerOptions): KepController {
  const custom = o.kubeConfig.makeApiClient(CustomObjectsApi);
  const status = new RequestStatusWriter(o.kubeConfig);
  const log = o.log ?? (() => undefined);
  const base = `/apis/${KEP_GROUP}/${KEP_VERSION}`;
  const list = (plural: string) => async () =>
    (await custom.listClusterCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural,
    })) as KubernetesListObject<KubernetesObject>;
  const requests = makeInformer(
    o.kubeConfig,
    `${base}/${REQUESTS}`,
    list(REQUESTS),
  );
  const approvals = makeInformer(
    o.kubeConfig,
    `${base}/${APPROVALS}`,
    list(APPROVALS),
  );
  const asRequest = (x: KubernetesObject) =>
    x as unknown as NamespaceTransferRequest;
  const asApproval = (x: KubernetesObject) =>
    x as unknown as NamespaceTransferApproval;
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const enqueue = (ns: string, name: string) => {
    const k = key(ns, name);
    if (stopped) return;
    if (running.has(k)) {
      again.add(k);
      return;
    }
    const p = reconcile(ns, name)
      .catch(e => log(`reconciling ${k}: ${readableError(e)}`))
      .finally(() => {
        running.delete(k);
        if (again.delete(k)) enqueue(ns, name);
      });
    running.set(k, p);
  };

  async function readLive(
    namespace: string,
    name: string,
  ): Promise<NamespaceTransferRequest | undefined> {
    try {
      return (await withRetry(() =>
        custom.getNamespacedCustomObject({
          group: KEP_GROUP,
          version: KEP_VERSION,
          plural: REQUESTS,
          namespace,
          name,
        }),
      )) as NamespaceTransferRequest;
    } catch (e) {
      if (httpStatus(e) === 404) return undefined;
      throw e;
    }
  }

  async function reconcile(ns: string, name: string): Promise<void> {
    // the cache may lag behind this controller's own last status write: decide on the live object
    if (!requests.get(name, ns)) return;
    const r = await readLive(ns, name);
    if (!r || (r.status?.phase && isTerminalPhase(r.status.phase as never)))
      return;
    const checkpoint = r.status?.checkpoint;
    const committed = checkpoint?.completedSteps.includes(POINT_OF_NO_RETURN);
    const match = matchApproval(
      r,
      approvals.list(r.spec.source.namespace).map(asApproval),
    );
    // past the point of no return the volume must reach a claim, approval or not
    if (match.state !== 'approved' && !committed) {
      const message =
        match.state === 'mismatch'
          ? match.message
          : `waiting for a NamespaceTransferApproval in namespace ${r.spec.source.namespace} for ${r.spec.source.kind} ${r.spec.source.name} with targetNamespace ${ns}`;
      await status.update(ns, name, s => ({
        ...s,
        phase: 'Pending',
        message,
        conditions: setCondition(s.conditions, {
          type: 'Approved',
          status: 'False',
          reason:
            match.state === 'mismatch'
              ? 'ApprovalMismatch'
              : 'AwaitingApproval',
          message,
        }),
      }));
      return;
    }
    const targetName = r.spec.targetName ?? r.spec.source.name;
    const cluster = o.clusterName ?? 'local';
    const spec: TransferSpec = {
      id: transferIdOf(r),
      source: {
        cluster,
        namespace: r.spec.source.namespace,
        name: r.spec.source.name,
      },
      destination: { cluster, namespace: ns, name: targetName },
      mode: 'rebind',
      intent: 'move',
    };
    const approvedBy =
      match.state === 'approved'
        ? `${match.approval.metadata.namespace}/${match.approval.metadata.name}`
        : 'an earlier approval';
    await status.update(ns, name, s => ({
      ...s,
      message: `approved by ${approvedBy}`,
      startTime: s.startTime ?? new Date().toISOString(),
      destinationClaim: `${ns}/${targetName}`,
      conditions: setCondition(s.conditions, {
        type: 'Approved',
        status: 'True',
        reason: 'Approved',
        message: `approved by ${approvedBy}`,
      }),
    }));
    // status writes are serialized so that a slower earlier write never overwrites a later phase
    let writes = Promise.resolve();
    const write = (change: Parameters<RequestStatusWriter['update']>[2]) => {
      writes = writes
        .then(() => status.update(ns, name, change))
        .then(
          () => undefined,
          e => log(`status of ${ns}/${name}: ${readableError(e)}`),
        );
      return writes;
    };
    try {
      const result = await runRebind({
        spec,
        kubeConfig: o.kubeConfig,
        checkpoint,
        allowTransferDefault: o.allowTransferDefault,
        onEvent: e => {
          if (e.type === 'phase' && !isTerminalPhase(e.phase))
            void write(s => ({ ...s, phase: e.phase }));
          if (e.type === 'warning') log(`${ns}/${name}: ${e.message}`);
        },
        onCheckpoint: c => write(s => ({ ...s, checkpoint: c })),
      });
      await writes;
      await status.update(ns, name, s => ({
        ...s,
        phase: 'Succeeded',
        message: `PersistentVolume ${result.volumeName} now belongs to ${ns}/${targetName}`,
        volumeName: result.volumeName,
        completionTime: new Date().toISOString(),
        checkpoint: result.checkpoint,
        conditions: setCondition(s.conditions, {
          type: 'Ready',
          status: 'True',
          reason: 'Transferred',
          message: `bound to ${result.volumeName}`,
        }),
      }));
    } catch (e) {
      await writes;
      // written even while stopping: the run rolled back what it could, so its checkpoint must not be resumed
      const message =
        e instanceof RebindRefusedError
          ? e.failures.map(f => `${f.precondition}: ${f.message}`).join('; ')
          : readableError(e);
      await status.update(ns, name, s => ({
        ...s,
        phase: 'Failed',
        message,
        completionTime: new Date().toISOString(),
        conditions: setCondition(s.conditions, {
          type: 'Failed',
          status: 'True',
          reason:
            e instanceof RebindRefusedError
              ? 'PreconditionsFailed'
              : 'TransferFailed',
          message,
        }),
      }));
    }
  }

  const watch = (
    inf: Informer<KubernetesObject>,
    what: string,
    onObject: (o: KubernetesObject) => void,
  ) => {
    inf.on('add', onObject);
    inf.on('update', onObject);
    const restart = () =>
      setTimeout(() => {
        if (!stopped)
          inf.start().catch(e => {
            log(`${what} restart failed (${String(e)}), trying again`);
            restart();
          });
      }, o.restartDelayMs ?? 1000);
    // the informer stops on a dropped watch or 410 Gone: a fresh list and watch resumes it
    inf.on('error', (err: unknown) => {
      if (stopped) return;
      log(`${what} watch ended (${String(err)}), restarting`);
      restart();
    });
  };
  watch(requests, REQUESTS, x =>
    enqueue(asRequest(x).metadata.namespace, asRequest(x).metadata.name),
  );
  watch(approvals, APPROVALS, x => {
    const a = asApproval(x);
    for (const r of requests.list().map(asRequest)) {
      if (
        r.spec.source.namespace === a.metadata.namespace &&
        r.spec.source.name === a.spec.source.name
      )
        enqueue(r.metadata.namespace, r.metadata.name);
    }
  });
  // approvals first, so the first requests seen are matched against a full cache
  const ready = approvals.start().then(() => requests.start());
  return {
    ready,
    async stop() {
      stopped = true;
      await Promise.allSettled([requests.stop(), approvals.stop()]);
      await Promise.allSettled([...running.values()]);
    },
  };
}
