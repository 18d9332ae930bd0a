export { readKepConfig, DEFAULT_LEASE_NAMESPACE } from './config';
export type { KepConfig } from './config';
export { KepRecorder } from './KepRecorder';
export type { KepRecorderOptions } from './KepRecorder';
export { kepEntities } from './entities';
export { startKepBridge } from './startKepBridge';
export type {
  BridgeControllerOptions,
  KepBridge,
  StartKepBridgeOptions,
} from './startKepBridge';
