export * from './types';
export * from './session';
export * from './run';
