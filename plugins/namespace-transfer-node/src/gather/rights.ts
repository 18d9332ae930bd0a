/**
 * Asks each cluster whether the identity used for it holds the rights the chosen flow needs, in the
 * namespace of its side: one SelfSubjectAccessReview per right, a few at a time, and SelfSubjectReview
 * (`kubectl auth whoami`) for the name the refusal gives. Writes nothing.
 */
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { readableError, withRetry } from '../clusters';
import {
  rightsFor,
  type Right,
  type RightsFacts,
  type TransferFlow,
} from '../plan/rights';

/** Reviews in flight per cluster: enough to keep the plan quick, few enough not to load the API server. */
const CONCURRENCY = 6;

interface SideAccess {
  kc: KubeConfig;
  cluster: string;
  namespace: string;
}

export async function checkRights(
  flow: TransferFlow,
  spec: TransferSpec,
  clusters: { source: KubeConfig; destination: KubeConfig },
): Promise<RightsFacts> {
  const sides: Record<Right['side'], SideAccess> = {
    source: {
      kc: clusters.source,
      cluster: spec.source.cluster,
      namespace: spec.source.namespace,
    },
    destination: {
      // rebind runs in one cluster with the source's identity
      kc: flow.mode === 'rebind' ? clusters.source : clusters.destination,
      cluster: spec.destination.cluster,
      namespace: spec.destination.namespace,
    },
  };
  const rights = rightsFor(flow);
  // the two sides are asked at once: often two clusters, each with its own identity
  const verdicts = await Promise.all(
    (['source', 'destination'] as const).map(side =>
      checkSide(
        side,
        sides[side],
        rights.filter(r => r.side === side),
      ),
    ),
  );
  const missing = verdicts.flatMap(v => v.missing);
  const unchecked = verdicts.flatMap(v => v.unchecked);
  return { missing, unchecked };
}

async function checkSide(
  side: Right['side'],
  access: SideAccess,
  wanted: Right[],
): Promise<RightsFacts> {
  if (!wanted.length) return { missing: [], unchecked: [] };
  const answers = await reviewAll(access, wanted);
  if ('error' in answers)
    return {
      missing: [],
      unchecked: [
        `could not check the ${side}'s rights in cluster ${access.cluster} (${answers.error}): the transfer may fail when it reaches a step it is not allowed`,
      ],
    };
  const denied = wanted.filter((_, i) => !answers.allowed[i]);
  if (!denied.length) return { missing: [], unchecked: [] };
  const identity = await whoAmI(access.kc);
  return {
    missing: denied.map(r => ({
      ...r,
      namespace: r.clusterScoped ? undefined : access.namespace,
      identity,
    })),
    unchecked: [],
  };
}

async function reviewAll(
  access: SideAccess,
  rights: Right[],
): Promise<{ allowed: boolean[] } | { error: string }> {
  const api = access.kc.makeApiClient(AuthorizationV1Api);
  const allowed: boolean[] = new Array(rights.length);
  let next = 0;
  const worker = async () => {
    while (next < rights.length) {
      const i = next++;
      allowed[i] = await isAllowed(api, access.namespace, rights[i]);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, rights.length) }, worker),
    );
    return { allowed };
  } catch (e) {
    // an identity that may not even ask (no system:basic-user): say so, refuse nothing on a guess
    return { error: readableError(e) };
  }
}

async function isAllowed(
  api: AuthorizationV1Api,
  namespace: string,
  r: Right,
): Promise<boolean> {
  const review = await withRetry(() =>
    api.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: r.verb,
            group: r.group,
            resource: r.resource,
            subresource: r.subresource,
            namespace: r.clusterScoped ? undefined : namespace,
          },
        },
      },
    }),
  );
  return review.status?.allowed === true;
}

/** The user the cluster sees (after impersonation), as `kubectl auth whoami` prints it. */
async function whoAmI(kc: KubeConfig): Promise<string> {
  try {
    const review = await withRetry(() =>
      kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
        },
      }),
    );
    return review.status?.userInfo?.username ?? 'an unnamed identity';
  } catch {
    // an older API server without SelfSubjectReview: the refusal still names what is missing
    return "this cluster's configured identity";
  }
}
