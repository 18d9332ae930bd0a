/**
 * What quiesce records on the workloads it stops, so that a rollback, a clone, a person, or another
 * transfer's preflight can see who stopped them and what to put back.
 */

/** the transfer that scaled the workload down (or suspended the CronJob) */
export const QUIESCED_BY = 'namespace-transfer.io/quiesced-by';
/** replicas before it was scaled down */
export const QUIESCED_REPLICAS = 'namespace-transfer.io/quiesced-replicas';
/** a CronJob's `suspend` before it was suspended */
export const QUIESCED_SUSPEND = 'namespace-transfer.io/quiesced-suspend';
