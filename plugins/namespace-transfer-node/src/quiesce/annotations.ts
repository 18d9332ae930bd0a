/**
 * What quiesce records on the workloads it stops, so that a rollback, a clone, a person, or another
 * transfer's preflight can see who stopped them and what to put back.
 */

/**
 * the transfer that scaled the workload down (or suspended the CronJob)
 *
 * @public
 */
export const QUIESCED_BY = 'namespace-transfer.io/quiesced-by';
/**
 * replicas before it was scaled down
 *
 * @public
 */
export const QUIESCED_REPLICAS = 'namespace-transfer.io/quiesced-replicas';
/**
 * a CronJob's `suspend` before it was suspended
 *
 * @public
 */
export const QUIESCED_SUSPEND = 'namespace-transfer.io/quiesced-suspend';
/**
 * a DaemonSet's pod-template nodeSelector before quiesce added one no node matches (JSON; "" for none)
 *
 * @public
 */
export const QUIESCED_NODE_SELECTOR =
  'namespace-transfer.io/quiesced-node-selector';
/**
 * when the workload was stopped (RFC 3339)
 *
 * @public
 */
export const QUIESCED_AT = 'namespace-transfer.io/quiesced-at';
/**
 * The node-selector key quiesce adds to a DaemonSet's pod template (as Crane does): no node carries it,
 * so the DaemonSet controller removes its pods from every node.
 *
 * @public
 */
export const UNSCHEDULABLE_NODE_LABEL = 'namespace-transfer.io/quiesced';
