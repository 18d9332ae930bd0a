export * from './quiesce';
