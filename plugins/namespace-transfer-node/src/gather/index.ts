export * from './facts';
export * from './workloads';
