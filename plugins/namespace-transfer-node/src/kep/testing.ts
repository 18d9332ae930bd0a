/**
 * Test support for the KEP tests (kube-sim): a cluster with the CRDs from deploy/crds applied through the
 * API (so their schemas validate), and helpers that make approvals and requests and wait on a request.
 */
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  loadAllYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../kube';
import { ensureClass } from '../rebind/testing';
import { ensureNamespace } from '../testing/kubesim';
import {
  APPROVALS,
  KEP_GROUP,
  KEP_VERSION,
  REQUESTS,
  type NamespaceTransferApproval,
  type NamespaceTransferRequest,
} from './types';

/**
 * Applies the KEP CRDs found in `crdDir` through the API, then makes the storage class `movable` (allows
 * rebind) and the namespaces.
 */
export async function prepareKepCluster(
  kc: KubeConfig,
  crdDir: string,
  namespaces: string[],
): Promise<void> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (const f of readdirSync(crdDir)) {
    for (const doc of loadAllYaml(readFileSync(join(crdDir, f), 'utf8'))) {
      // the folder also holds its kustomization.yaml (kubectl apply -k deploy/)
      if ((doc as { kind?: string })?.kind !== 'CustomResourceDefinition')
        continue;
      await ext.createCustomResourceDefinition({
        body: doc as V1CustomResourceDefinition,
      });
    }
  }
  await ensureClass(kc, 'movable', 'true');
  for (const ns of namespaces) await ensureNamespace(kc, ns);
}

/** An approval in the source namespace for the claim `claim` to go to `targetNamespace`. */
export function approval(name: string, claim: string, targetNamespace: string) {
  return {
    apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
    kind: 'NamespaceTransferApproval',
    metadata: { name },
    spec: {
      source: { name: claim, kind: 'PersistentVolumeClaim' },
      targetNamespace,
    },
  };
}

/** A request in the destination namespace for the claim `namespace/claim`. */
export function transferRequest(
  name: string,
  source: { namespace: string; claim: string },
  targetName?: string,
) {
  return {
    apiVersion: `${KEP_GROUP}/${KEP_VERSION}`,
    kind: 'NamespaceTransferRequest',
    metadata: { name },
    spec: {
      source: {
        name: source.claim,
        namespace: source.namespace,
        kind: 'PersistentVolumeClaim',
      },
      ...(targetName ? { targetName } : {}),
    },
  };
}

export const requestEnded = (r: NamespaceTransferRequest) =>
  r.status?.phase === 'Succeeded' || r.status?.phase === 'Failed';

/**
 * KEP objects through the API as `kubeConfig()` (read when called: suites make their cluster in
 * beforeAll). A wait's timeout message carries the controller's log lines when `logs` is given.
 */
export function kepObjects(kubeConfig: () => KubeConfig, logs?: string[]) {
  const custom = () => kubeConfig().makeApiClient(CustomObjectsApi);
  const create = (plural: string, namespace: string, body: object) =>
    custom().createNamespacedCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural,
      namespace,
      body,
    });
  const request = async (namespace: string, name: string) =>
    (await custom().getNamespacedCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural: REQUESTS,
      namespace,
      name,
    })) as NamespaceTransferRequest;
  const until = (
    namespace: string,
    name: string,
    ok: (r: NamespaceTransferRequest) => boolean,
    what: string,
  ) =>
    pollUntil(
      async () => {
        const r = await request(namespace, name);
        return ok(r) ? r : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: logs ? `${what} (logs: ${logs.join(' | ')})` : what,
      },
    );
  const approvalOf = async (namespace: string, name: string) =>
    (await custom().getNamespacedCustomObject({
      group: KEP_GROUP,
      version: KEP_VERSION,
      plural: APPROVALS,
      namespace,
      name,
    })) as NamespaceTransferApproval;
  /** an approval's status is written after its request's: wait for it */
  const approvalUntil = (
    namespace: string,
    name: string,
    ok: (a: NamespaceTransferApproval) => boolean,
    what: string,
  ) =>
    pollUntil(
      async () => {
        const a = await approvalOf(namespace, name);
        return ok(a) ? a : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what },
    );
  return { create, request, until, approvalOf, approvalUntil };
}
