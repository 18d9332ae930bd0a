// Admin access to the demo clusters through @kubernetes/client-node (kubectl is not on every machine), for
// tests that change what a cluster allows.
import { KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';

function rbacApi(kubeconfig, context) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return kc.makeApiClient(RbacAuthorizationV1Api);
}

/**
 * Removes a ClusterRoleBinding for the duration of `fn` and puts the same binding back afterwards, as an
 * operator revoking and restoring access would.
 */
export async function withoutClusterRoleBinding(kubeconfig, context, name, fn) {
  const rbac = rbacApi(kubeconfig, context);
  const saved = await rbac.readClusterRoleBinding({ name });
  await rbac.deleteClusterRoleBinding({ name });
  try {
    return await fn();
  } finally {
    const { metadata } = saved;
    await rbac.createClusterRoleBinding({
      body: {
        ...saved,
        metadata: {
          name: metadata.name,
          labels: metadata.labels,
          annotations: metadata.annotations,
        },
      },
    });
  }
}
