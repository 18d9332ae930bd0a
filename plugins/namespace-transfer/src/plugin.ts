import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { namespaceTransferApiRef, NamespaceTransferClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The plugin for apps on the legacy frontend system; the new system uses the `/alpha` export.
 *
 * @public
 */
export const namespaceTransferPlugin = createPlugin({
  id: 'namespace-transfer',
  apis: [
    createApiFactory({
      api: namespaceTransferApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NamespaceTransferClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The "Volumes & transfers" entity tab content.
 *
 * @public
 */
export const EntityNamespaceTransferContent: () => JSX.Element | null =
  namespaceTransferPlugin.provide(
    createComponentExtension({
      name: 'EntityNamespaceTransferContent',
      component: {
        lazy: () =>
          import('./components/EntityVolumesContent').then(
            m => m.EntityVolumesContent,
          ),
      },
    }),
  );

/**
 * The platform team's page.
 *
 * @public
 */
export const NamespaceTransferPage: () => JSX.Element =
  namespaceTransferPlugin.provide(
    createRoutableExtension({
      name: 'NamespaceTransferPage',
      component: () =>
        import('./components/ClustersPage').then(m => m.NamespaceTransferPage),
      mountPoint: rootRouteRef,
    }),
  );
