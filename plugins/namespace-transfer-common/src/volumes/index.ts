export * from './types';
export * from './api';
export * from './schemas';
export * from './transferable';
