import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The platform team's page, /namespace-transfer by default.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'namespace-transfer' });

/**
 * A transfer's own page, `/namespace-transfer/transfers/:id`: the stable address notifications and the
 * audit export link to (the backend's `portalUrl` builds the same path).
 *
 * @public
 */
export const transferRouteRef = createSubRouteRef({
  id: 'namespace-transfer/transfer',
  parent: rootRouteRef,
  path: '/transfers/:id',
});

/**
 * The clusters tab of the platform team's page, `/namespace-transfer/clusters`.
 *
 * @public
 */
export const clustersRouteRef = createSubRouteRef({
  id: 'namespace-transfer/clusters',
  parent: rootRouteRef,
  path: '/clusters',
});
