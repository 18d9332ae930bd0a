import path from 'node:path';

/**
 * The kube-sim package folder, found through module resolution rather than the current file's folder,
 * so that files shipped beside the sources (the shim's C source) are found however the code is loaded.
 */
export const PACKAGE_DIR = path.dirname(
  require.resolve('kube-sim/package.json'),
);
