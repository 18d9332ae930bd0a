export * from './kubeconfig';
export * from './errors';
export * from './retry';
export * from './discovery';
