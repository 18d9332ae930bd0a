import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The platform team's page, /namespace-transfer by default.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'namespace-transfer' });
