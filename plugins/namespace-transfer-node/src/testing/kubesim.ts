/**
 * The engine's test support on kube-sim: what any code under test on kube-sim needs comes from kube-sim's
 * fixtures with the engine tests' defaults (a workload scaled to 0, a claim that must exist); a restricted
 * pod, what a transfer left, and the plan of a refused run are the engine's own.
 */
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { Plan } from '@namespace-transfer/plugin-namespace-transfer-common';
import * as fixtures from 'kube-sim/src/testing/fixtures';
import { TransferRefusedError } from '../copy';
import { transferSelector } from '../naming';

export {
  ensureNamespace,
  ensureStorageClass,
} from 'kube-sim/src/testing/fixtures';

/**
 * A one-container pod that passes Pod Security "restricted" (kube-sim runs `command` as a host process),
 * mounting `claim` at /data when given.
 */
export function restrictedPod(
  name: string,
  command: string[],
  o: { uid?: number; restartPolicy?: string; claim?: string } = {},
): V1Pod {
  return {
    metadata: { name },
    spec: {
      ...(o.claim
        ? {
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: o.claim } },
            ],
          }
        : {}),
      restartPolicy: o.restartPolicy ?? 'Never',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: o.uid ?? 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command,
          ...(o.claim
            ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] }
            : {}),
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    },
  };
}

/** Creates a PVC and waits until it is bound; returns the host directory behind it. */
export async function createBoundPvc(
  kc: KubeConfig,
  namespace: string,
  name: string,
  storageClassName: string,
  size = '1Gi',
): Promise<string> {
  return fixtures.createBoundClaim(kc, namespace, name, {
    storageClassName,
    size,
  });
}

/** The host directory behind a claim that exists (a missing one fails at once), once it is bound. */
export async function volumeDir(
  kc: KubeConfig,
  namespace: string,
  name: string,
  timeoutMs = 60_000,
): Promise<string> {
  return fixtures.volumeDir(kc, namespace, name, { timeoutMs });
}

/** A Deployment (0 replicas unless asked) whose pods mount the claim as the given user. */
export const createWorkload = fixtures.workloadCreator({ replicas: 0 });

/**
 * The names of what a transfer labelled with its id has in a namespace: pods, Secrets, Services,
 * ConfigMaps and, with `pvcs`, PVCs (a successful copy's destination PVC keeps the label).
 */
export const transferLeftovers = fixtures.leftoversFinder(transferSelector);

/** The plan of a run that must have been refused in preflight; anything else fails the test. */
export async function refusedPlan(run: Promise<unknown>): Promise<Plan> {
  const outcome = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof TransferRefusedError))
    throw new Error(
      `expected a refusal in preflight, got ${outcome === undefined ? 'a finished transfer' : String(outcome)}`,
    );
  return outcome.plan;
}
