export {
  NamespaceTransferContent,
  NamespaceTransferPage,
} from './NamespaceTransferPage';
