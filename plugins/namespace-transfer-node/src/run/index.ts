export * from './types';
export * from './runTransfer';
export * from './plan';
export * from './planChanges';
export * from './pointOfNoReturn';
