export * from './build';
export * from './resources';
