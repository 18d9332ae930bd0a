export { TransfersAuditContent } from './TransfersAuditContent';
