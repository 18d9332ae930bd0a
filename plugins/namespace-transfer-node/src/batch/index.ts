export * from './pool';
export * from './specs';
