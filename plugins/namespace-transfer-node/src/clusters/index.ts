export * from './kubeconfig';
export * from './retry';
export * from './discovery';
