export * from './names';
export * from './options';
export * from './requests';
export * from './query';
export * from './states';
export * from './signals';
export * from './api';
export * from './queryParams';
