/**
 * Authentication: static bearer tokens, ServiceAccount tokens (token Secrets and TokenRequests), and
 * client certificates signed by the cluster CA (CN = user, O = groups), as the real authenticators do.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../../contracts';
import type { Store } from '../store';

export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
  };
}

export class Authenticator {
  private readonly tokens = new Map<string, UserInfo>();
  /** tokens issued through serviceaccounts/token, valid while the service account exists */
  private readonly issued = new Map<
    string,
    { namespace: string; name: string; uid: string; expires: number }
  >();

  constructor(
    private readonly store: Store,
    initial: Record<string, UserInfo>,
  ) {
    for (const [t, u] of Object.entries(initial)) this.addToken(t, u);
  }

  addToken(token: string, user: UserInfo): void {
    const groups = user.groups.includes('system:authenticated')
      ? user.groups
      : [...user.groups, 'system:authenticated'];
    this.tokens.set(token, { username: user.username, groups });
  }

  issueServiceAccountToken(
    token: string,
    namespace: string,
    name: string,
    uid: string,
    expires: number,
  ): void {
    this.issued.set(token, { namespace, name, uid, expires });
  }

  private fromServiceAccountSecret(token: string): UserInfo | undefined {
    const encoded = Buffer.from(token).toString('base64');
    for (const s of this.store.list('secrets')) {
      if (
        s.type !== 'kubernetes.io/service-account-token' ||
        s.data?.token !== encoded
      )
        continue;
      const sa = s.metadata.annotations?.['kubernetes.io/service-account.name'];
      const saObj = sa
        ? this.store.get('serviceaccounts', s.metadata.namespace, sa)
        : undefined;
      const uid = s.metadata.annotations?.['kubernetes.io/service-account.uid'];
      if (saObj && (!uid || uid === saObj.metadata.uid))
        return serviceAccountUser(s.metadata.namespace, sa!);
    }
    return undefined;
  }

  private fromIssued(token: string): UserInfo | undefined {
    const t = this.issued.get(token);
    if (!t || t.expires < Date.now()) return undefined;
    const sa = this.store.get('serviceaccounts', t.namespace, t.name);
    return sa && sa.metadata.uid === t.uid
      ? serviceAccountUser(t.namespace, t.name)
      : undefined;
  }

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m)
      return (
        this.tokens.get(m[1]) ??
        this.fromIssued(m[1]) ??
        this.fromServiceAccountSecret(m[1])
      );
    const socket = req.socket as TLSSocket;
    if (socket.authorized && typeof socket.getPeerCertificate === 'function') {
      const cert = socket.getPeerCertificate();
      const cn = cert?.subject?.CN;
      if (cn) {
        const o = cert.subject.O;
        let organisations: string[] = [];
        if (Array.isArray(o)) organisations = o;
        else if (o) organisations = [o];
        const groups = organisations.concat('system:authenticated');
        return { username: Array.isArray(cn) ? cn[0] : cn, groups };
      }
    }
    return undefined;
  }
}
