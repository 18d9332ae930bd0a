export * from './objects';
export * from './poll';
