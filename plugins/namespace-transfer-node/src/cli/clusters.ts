import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFromContext } from '../clusters';
import { UsageError } from './exitCodes';

export interface ClusterRef {
  /** the context name; the engine uses it as the cluster's name in specs and labels */
  context: string;
  kc: KubeConfig;
}

export interface Clusters {
  source: ClusterRef;
  destination: ClusterRef;
}

export interface ClusterFlags {
  kubeconfig?: string;
  sourceContext?: string;
  destinationContext?: string;
}

function load(
  kubeconfigPath: string | undefined,
  context: string | undefined,
): ClusterRef {
  let kc: KubeConfig;
  try {
    kc = kubeConfigFromContext({ kubeconfigPath, context });
  } catch (e) {
    // a missing file or an unknown context is the user's input, not a cluster failure
    throw new UsageError(
      e instanceof Error ? e.message.split('\n')[0] : String(e),
    );
  }
  const name = kc.getCurrentContext();
  if (!name || !kc.getContextObject(name))
    throw new UsageError(
      'the kubeconfig has no current context: pass --source-context',
    );
  if (!kc.getCurrentCluster())
    throw new UsageError(
      `context "${name}" names no cluster in the kubeconfig`,
    );
  return { context: name, kc };
}

/** Source and destination from kubeconfig contexts; the destination defaults to the source. */
export function loadClusters(f: ClusterFlags): Clusters {
  const kubeconfigPath = f.kubeconfig ?? undefined;
  const source = load(kubeconfigPath, f.sourceContext);
  const destination =
    f.destinationContext && f.destinationContext !== source.context
      ? load(kubeconfigPath, f.destinationContext)
      : source;
  return { source, destination };
}

/** Each distinct cluster once (source and destination may be the same). */
export function distinctClusters(c: Clusters): ClusterRef[] {
  return c.source.context === c.destination.context
    ? [c.source]
    : [c.source, c.destination];
}
