export * from './securityContext';
export * from './identity';
export * from './repair';
