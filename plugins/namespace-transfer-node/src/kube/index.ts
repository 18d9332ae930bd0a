export * from './objects';
export * from './poll';
export * from './watchPods';
export * from './followLog';
export * from './podTrouble';
export * from './signals';
