/** The kube-sim API server: `startApiServer(opts)` serves one simulated cluster's Kubernetes API over HTTPS. */
export { startApiServer } from './server';
export type { InternalOptions } from './server';
