export * from './spec';
export * from './phases';
export * from './progress';
export * from './plan';
export * from './checkpoint';
