import { createHash } from 'node:crypto';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';

/** @public */
export interface NamespaceBatchRequest {
  /** batch id: each transfer's id is derived from it, so a re-run finds the same transfers */
  id: string;
  sourceCluster: string;
  destinationCluster: string;
  /** source namespace to destination namespace */
  namespaces: Record<string, string>;
  mode: TransferSpec['mode'];
  intent: TransferSpec['intent'];
  options?: TransferSpec['options'];
}

/**
 * One spec per PVC of the given namespaces; ids are short, unique and stable (a DNS label).
 *
 * @public
 */
export function batchSpecs(
  req: NamespaceBatchRequest,
  pvcs: Array<{ namespace: string; name: string }>,
): TransferSpec[] {
  return pvcs
    .filter(p => p.namespace in req.namespaces)
    .sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    )
    .map(p => {
      const hash = createHash('sha256')
        .update(`${req.id}/${p.namespace}/${p.name}`)
        .digest('hex')
        .slice(0, 10);
      return {
        id: `${req.id.slice(0, 30).replace(/-+$/, '')}-${hash}`,
        source: {
          cluster: req.sourceCluster,
          namespace: p.namespace,
          name: p.name,
        },
        destination: {
          cluster: req.destinationCluster,
          namespace: req.namespaces[p.namespace],
          name: p.name,
        },
        mode: req.mode,
        intent: req.intent,
        options: req.options,
      };
    });
}
