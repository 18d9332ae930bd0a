export {
  addressPlanFor,
  inRange,
  ipToNumber,
  isLoopback,
  numberToIp,
} from './address/addressPlan';
export { allocateAddressPlan, netsLockDir } from './address/allocate';
export type { AllocateOptions } from './address/allocate';
export { startNetwork } from './network';
export type { RunningNetwork, StartNetworkOptions } from './network';
export { buildShim } from './shim/shim';
export { parseClientHello } from './router/sni';
