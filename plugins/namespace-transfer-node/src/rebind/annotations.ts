/**
 * What a rebind records on the objects themselves, so that a resumed run, a rollback or a person can see
 * which transfer holds a volume and what to put back.
 */

/**
 * On the PV: the transfer that holds it. A second transfer refuses a held volume.
 *
 * @public
 */
export const HELD_BY = 'namespace-transfer.io/rebind-held-by';
/**
 * On the PV: its reclaim policy before it was set to Retain (restored at the end or on rollback).
 *
 * @public
 */
export const RECORDED_RECLAIM_POLICY =
  'namespace-transfer.io/rebind-reclaim-policy';
/**
 * On the source PVC: the transfer that is moving it, and where to.
 *
 * @public
 */
export const TRANSFERRING = 'namespace-transfer.io/transferring';
/** @public */
export const TRANSFERRING_TO = 'namespace-transfer.io/transferring-to';
/**
 * On the destination PVC: where its volume came from.
 *
 * @public
 */
export const TRANSFERRED_FROM = 'namespace-transfer.io/transferred-from';
/**
 * On the PVC being bound: asks the PV controller to sync it again (any change does; this one says why).
 * Set only while the controller has let the claim wait, removed once it is Bound.
 *
 * @public
 */
export const BIND_REQUESTED = 'namespace-transfer.io/bind-requested';
