import type { Config } from '@backstage/config';
import {
  quantityValue,
  type MoverResourceOptions,
} from '@namespace-transfer/plugin-namespace-transfer-node';

const KEY = 'namespaceTransfer.mover.resources';
const PARTS = ['requests', 'limits', 'demandedLimits'] as const;
const RESOURCES = ['cpu', 'memory'] as const;

/**
 * The mover containers' requests and limits from `namespaceTransfer.mover.resources`, for the engine's
 * GatherOptions.moverResources. Only the operator's config sets them, never a transfer request. Each
 * value is checked at startup, so a typo fails there, naming the key, instead of as a refused pod.
 */
export function readMoverResources(
  config: Config,
): MoverResourceOptions | undefined {
  const section = config.getOptionalConfig(KEY);
  if (!section) return undefined;
  const out: MoverResourceOptions = {};
  for (const part of PARTS) {
    const values = section.getOptionalConfig(part);
    if (!values) continue;
    const read: { cpu?: string; memory?: string } = {};
    for (const r of RESOURCES) {
      const q = values.getOptionalString(r);
      if (q === undefined) continue;
      const n = quantityValue(q);
      if (n === undefined || n <= 0)
        throw new Error(
          `${KEY}.${part}.${r} must be a positive Kubernetes quantity (e.g. 250m, 1, 256Mi), got "${q}"`,
        );
      read[r] = q;
    }
    out[part] = read;
  }
  return out;
}
