export * from './types';
export * from './session';
export * from './run';
export * from './planAndCopy';
