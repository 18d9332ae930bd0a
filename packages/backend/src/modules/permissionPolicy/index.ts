export { permissionModuleNamespaceTransferPolicy as default } from './module';
export { NamespaceTransferPolicy } from './NamespaceTransferPolicy';
