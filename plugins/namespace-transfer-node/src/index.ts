/**
 * The Namespace Transfer engine: knows Kubernetes, nothing of Backstage. See README.md for the layout.
 */
export * from './clusters';
export * from './endpoint';
export * from './naming';
export * from './permissions';
export * from './pki';
export * from './plan';
export * from './pods/resources';
export * from './sides';
export * from './transfer';
export * from './transport';
export * from './gather';
export * from './usage';
export * from './quiesce';
export * from './copy';
export * from './batch';
export * from './rebind';
export * from './kep';
export * from './run';

// Types the API above refers to, from folders that are otherwise internal: exported so that the API
// report (and a caller) can name them.
export type { StepEvent } from './steps';
export { Objects } from './kube';
export type { ParserOptions } from './transfer/rsync/parser';
export type { StunnelFiles } from './transport/stunnel/config';
export type { Side as FlowSide } from './rbac/needs';
