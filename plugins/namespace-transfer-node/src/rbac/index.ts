export * from './rules';
export * from './needs';
export * from './evaluate';
