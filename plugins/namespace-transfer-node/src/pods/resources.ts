import type { MoverContainerResources } from '@namespace-transfer/plugin-namespace-transfer-common';
import { quantityValue } from '../plan/quantity';

/**
 * What each mover container (rsync, rclone, the stunnel sidecar) asks for; the operator sets it in the
 * engine's options (`moverResources`), `nstransfer --mover-*` flags or the backend's
 * `namespaceTransfer.mover.resources`. Requesters in the portal cannot: the cluster's capacity is the
 * operator's to hand out.
 *
 * @public
 */
export interface MoverResourceOptions {
  requests?: { cpu?: string; memory?: string };
  /**
   * Set on every container when given. A CPU limit throttles stunnel's TLS and with it the copy rate
   * (one core moves a few hundred MiB/s; 100m a tenth of that), so keep it generous or leave it unset
   * where no quota or LimitRange asks for one.
   */
  limits?: { cpu?: string; memory?: string };
  /** the limits used when a ResourceQuota demands one and `limits` does not say (default DEMANDED_LIMITS) */
  demandedLimits?: { cpu?: string; memory?: string };
}

/**
 * Always requested: 100m CPU and 128Mi per container. Without requests a pod is refused outright in a
 * namespace whose quota counts requests, and is the first evicted under pressure (BestEffort). rsync and
 * stunnel idle at a few MiB and a sliver of a core while they wait; 128Mi covers rsync's file list of
 * about a million files. Scheduling reserves this much, it does not cap the copy.
 *
 * @public
 */
export const DEFAULT_MOVER_REQUESTS = { cpu: '100m', memory: '128Mi' };

/**
 * The limits given when a quota demands them (`limits.cpu`/`limits.memory` in its hard set) and the
 * options do not say: one core, so that stunnel's TLS is not throttled below what one connection moves,
 * and 512Mi, room for rsync's file list of a few million files.
 *
 * @public
 */
export const DEMANDED_LIMITS = { cpu: '1', memory: '512Mi' };

/**
 * One mover container's resources: the requests always, limits where the options set them or a quota of
 * the namespace demands them (`demanded`, the resources named `limits.<r>` in its hard set). A demanded
 * limit the options do not set stays within `caps` (a LimitRange's maximum per container), which would
 * refuse a larger one.
 *
 * @public
 */
export function moverContainerResources(
  o: MoverResourceOptions | undefined,
  demanded: Array<'cpu' | 'memory'> = [],
  caps: { cpu?: string; memory?: string } = {},
): MoverContainerResources {
  const requests = { ...DEFAULT_MOVER_REQUESTS, ...(o?.requests ?? {}) };
  const limits: { cpu?: string; memory?: string } = { ...(o?.limits ?? {}) };
  const fallback = { ...DEMANDED_LIMITS, ...(o?.demandedLimits ?? {}) };
  for (const r of demanded) {
    const cap = caps[r];
    const capped =
      cap !== undefined &&
      (quantityValue(cap) ?? Infinity) < (quantityValue(fallback[r]) ?? 0);
    limits[r] ??= capped ? cap : fallback[r];
  }
  // a request above its limit is invalid: the request follows a smaller limit down
  for (const r of ['cpu', 'memory'] as const) {
    const limit = quantityValue(limits[r]);
    if (limit !== undefined && limit < (quantityValue(requests[r]) ?? 0))
      requests[r] = limits[r]!;
  }
  return Object.keys(limits).length ? { requests, limits } : { requests };
}
