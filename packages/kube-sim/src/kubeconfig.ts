import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** context, cluster and user name */
  name: string;
  server: string;
  caPem: string;
  token: string;
  namespace?: string;
}

/** A kubeconfig document as kubectl writes it, one context per entry. */
export function kubeconfigYaml(
  entries: KubeconfigEntry[],
  current = entries[0]?.name,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': current,
    clusters: entries.map(e => ({
      name: e.name,
      cluster: {
        server: e.server,
        'certificate-authority-data': Buffer.from(e.caPem).toString('base64'),
      },
    })),
    users: entries.map(e => ({ name: e.name, user: { token: e.token } })),
    contexts: entries.map(e => ({
      name: e.name,
      context: {
        cluster: e.name,
        user: e.name,
        ...(e.namespace ? { namespace: e.namespace } : {}),
      },
    })),
  });
}

export function kubeConfigFor(entry: KubeconfigEntry): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml([entry]));
  return kc;
}
