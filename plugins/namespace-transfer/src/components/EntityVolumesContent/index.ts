export { EntityVolumesContent } from './EntityVolumesContent';
export { isNamespaceTransferAvailable } from './isNamespaceTransferAvailable';
