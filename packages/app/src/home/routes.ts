import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The home page, `/`. */
export const homeRouteRef = createRouteRef();
