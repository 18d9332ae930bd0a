export { TransferActions } from './TransferActions';
