import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { namespaceTransferApiRef, NamespaceTransferClient } from './api';
import { rootRouteRef } from './routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: namespaceTransferApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new NamespaceTransferClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The "Volumes & transfers" tab on components and resources. It shows on entities without the Kubernetes
 * annotations too, where it explains which annotation to add rather than silently hiding.
 */
const entityContent = EntityContentBlueprint.make({
  name: 'volumes',
  params: {
    path: 'volumes',
    title: 'Volumes & transfers',
    filter: entity =>
      ['component', 'resource'].includes(
        entity.kind.toLocaleLowerCase('en-US'),
      ),
    loader: () =>
      import('./components/EntityVolumesContent').then(m => (
        <m.EntityVolumesContent />
      )),
  },
});

const page = PageBlueprint.make({
  params: {
    path: '/namespace-transfer',
    // the sidebar shows the page's title: the plugin's own would be cut to "Namespace …"
    title: 'Transfers',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ClustersPage').then(m => (
        <m.NamespaceTransferContent />
      )),
  },
});

/**
 * The plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'namespace-transfer',
  title: 'Namespace Transfer',
  icon: <StorageIcon />,
  routes: { root: rootRouteRef },
  extensions: [api, entityContent, page],
});
