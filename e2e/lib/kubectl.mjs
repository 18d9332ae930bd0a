// kubectl against the demo clusters, for tests that change what a cluster allows.
import { execFileSync } from 'node:child_process';

export function kubectl(kubeconfig, context, args, input) {
  return execFileSync(
    'kubectl',
    ['--kubeconfig', kubeconfig, '--context', context, ...args],
    {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/**
 * Removes a ClusterRoleBinding for the duration of `fn` and puts the same binding back afterwards, as an
 * operator revoking and restoring access would.
 */
export async function withoutClusterRoleBinding(kubeconfig, context, name, fn) {
  const saved = JSON.parse(
    kubectl(kubeconfig, context, [
      'get',
      'clusterrolebinding',
      name,
      '-o',
      'json',
    ]),
  );
  kubectl(kubeconfig, context, ['delete', 'clusterrolebinding', name]);
  try {
    return await fn();
  } finally {
    const { metadata } = saved;
    const restored = {
      ...saved,
      metadata: {
        name: metadata.name,
        labels: metadata.labels,
        annotations: metadata.annotations,
      },
    };
    kubectl(
      kubeconfig,
      context,
      ['create', '-f', '-'],
      JSON.stringify(restored),
    );
  }
}
