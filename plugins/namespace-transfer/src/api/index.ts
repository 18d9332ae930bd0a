export { namespaceTransferApiRef } from './NamespaceTransferApi';
export type { NamespaceTransferApi } from './NamespaceTransferApi';
export { NamespaceTransferClient } from './NamespaceTransferClient';
