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
