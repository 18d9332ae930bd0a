/**
 * The token controller's part for legacy service-account token Secrets: a Secret of type
 * kubernetes.io/service-account-token for an existing ServiceAccount gets data.token, data["ca.crt"] and
 * data.namespace, and the ServiceAccount's uid annotation. The real controller does this right after the
 * create; here it happens in the create itself. The authenticator accepts such tokens while the
 * ServiceAccount (with that uid) exists.
 */
import { randomBytes } from 'node:crypto';
import type { AdmissionPlugin } from '.';
import type { Store } from '../store';

const TYPE = 'kubernetes.io/service-account-token';
const NAME = 'kubernetes.io/service-account.name';
const UID = 'kubernetes.io/service-account.uid';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function serviceAccountTokenSecrets(
  store: Store,
  caPem: string,
): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.group || d.kind !== 'Secret' || obj.type !== TYPE) return;
      const saName = obj.metadata.annotations?.[NAME];
      const sa = saName
        ? store.get('serviceaccounts', obj.metadata.namespace, saName)
        : undefined;
      if (!sa) return;
      obj.metadata.annotations[UID] ??= sa.metadata.uid;
      obj.data = {
        ...(obj.data ?? {}),
        token: obj.data?.token ?? b64(randomBytes(32).toString('base64url')),
        'ca.crt': b64(caPem),
        namespace: b64(obj.metadata.namespace),
      };
    },
  };
}
