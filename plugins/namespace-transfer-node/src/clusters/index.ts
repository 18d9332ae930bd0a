export * from './kubeconfig';
export * from './errors';
export * from './retry';
export * from './policy';
export * from './discovery';
