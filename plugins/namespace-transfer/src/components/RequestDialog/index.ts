export { RequestDialog } from './RequestDialog';
export type { RequestDialogProps } from './RequestDialog';
export type { RequestSource } from './formModel';
export { PlanView } from './PlanView';
