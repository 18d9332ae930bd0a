export * from './facts';
export * from './exposure';
export * from './workloads';
export * from './loadBalancer';
export * from './quota';
