import type {
  Refusal,
  RefusalCode,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** @public */
export const TRANSFERABLE_ANNOTATION = 'namespace-transfer.io/transferable';
/** @public */
export const ALLOW_TRANSFER_ANNOTATION = 'namespace-transfer.io/allow-transfer';
export const DEFAULT_CLASS_ANNOTATION =
  'storageclass.kubernetes.io/is-default-class';
/** @public */
export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

export class Refusals {
  readonly list: Refusal[] = [];
  add(code: RefusalCode, message: string) {
    this.list.push({ code, message });
  }
}

/**
 * A finished pod uses no data, but while it names the claim the claim's protection finalizer keeps the
 * claim from being deleted, which a rebind must do: said the same way by the plan and runRebind.
 */
export function finishedPodBlocker(
  namespace: string,
  pod: { metadata?: { name?: string }; status?: { phase?: string } },
): string {
  const name = pod.metadata?.name;
  return `finished pod ${namespace}/${name} (${pod.status?.phase}) still names the claim, and would keep it from being deleted: delete it first (kubectl -n ${namespace} delete pod ${name})`;
}
