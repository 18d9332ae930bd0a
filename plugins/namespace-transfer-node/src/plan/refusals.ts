import type {
  Refusal,
  RefusalCode,
} from '@namespace-transfer/plugin-namespace-transfer-common';

export const TRANSFERABLE_ANNOTATION = 'namespace-transfer.io/transferable';
export const ALLOW_TRANSFER_ANNOTATION = 'namespace-transfer.io/allow-transfer';
export const DEFAULT_CLASS_ANNOTATION =
  'storageclass.kubernetes.io/is-default-class';
export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

export class Refusals {
  readonly list: Refusal[] = [];
  add(code: RefusalCode, message: string) {
    this.list.push({ code, message });
  }
}
