/**
 * Namespace Transfer frontend plugin (legacy frontend system; see `/alpha` for the new one).
 *
 * @packageDocumentation
 */
export {
  namespaceTransferPlugin,
  EntityNamespaceTransferContent,
  NamespaceTransferPage,
} from './plugin';
export { namespaceTransferApiRef, NamespaceTransferClient } from './api';
export type { NamespaceTransferApi } from './api';
export { isNamespaceTransferAvailable } from './components/EntityVolumesContent';
export { clustersRouteRef, rootRouteRef, transferRouteRef } from './routes';
export { PendingApprovalsCard, MyTransfersCard } from './components/HomeCards';
export type { MyTransfersCardProps } from './components/HomeCards';
