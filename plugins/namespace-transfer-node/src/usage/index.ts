export * from './snapshot';
export * from './resolve';
export * from './read';
