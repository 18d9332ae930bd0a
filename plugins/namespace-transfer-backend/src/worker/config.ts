import type { Config } from '@backstage/config';
import {
  parseDuration,
  type MoverResourceOptions,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import { readMoverResources } from '../mover/config';
import {
  readMaintenanceWindows,
  type MaintenanceWindow,
} from './maintenanceWindows';

/** Everything the worker takes from the operator's config, checked once at start-up. */
export interface WorkerConfig {
  enabled: boolean;
  concurrency: { global: number; perCluster: number };
  leaseMs: number;
  pollMs: number;
  progressSampleMs: number;
  outageBudgetMs: number;
  maintenanceWindows: MaintenanceWindow[];
  /** what the engine gets from the operator only, never from a request */
  engine: {
    image?: string;
    moverResources?: MoverResourceOptions;
    ingressDomain?: string;
    loadBalancer?: boolean;
  };
}

const WORKER = 'namespaceTransfer.worker';

export const WORKER_DEFAULTS = {
  global: 4,
  perCluster: 2,
  lease: '60s',
  poll: '5s',
  progressSample: '5s',
  outageBudget: '5m',
} as const;

/** A duration key (`60s`, `5m`, `1h30m`), refused at start-up naming the key when it is not one. */
function readDuration(
  config: Config,
  key: string,
  fallback: string,
  min: number,
): number {
  const text = config.getOptionalString(key) ?? fallback;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (e) {
    throw new Error(`${key}: ${(e as Error).message}`);
  }
  if (ms < min)
    throw new Error(`${key} must be at least ${min} ms, got "${text}"`);
  return ms;
}

function readCount(config: Config, key: string, fallback: number): number {
  const n = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${key} must be a whole number of at least 1, got ${n}`);
  return n;
}

/**
 * Reads `namespaceTransfer.worker`, `maintenanceWindows`, `mover` and `endpoint`. A bad value stops the
 * backend at start-up with the key named, rather than a transfer failing later for it.
 */
export function readWorkerConfig(config: Config): WorkerConfig {
  const leaseMs = readDuration(
    config,
    `${WORKER}.leaseDuration`,
    WORKER_DEFAULTS.lease,
    // the heartbeat runs at a third of it: shorter leases would expire under a busy database
    3000,
  );
  const concurrency = {
    global: readCount(
      config,
      `${WORKER}.concurrency.global`,
      WORKER_DEFAULTS.global,
    ),
    perCluster: readCount(
      config,
      `${WORKER}.concurrency.perCluster`,
      WORKER_DEFAULTS.perCluster,
    ),
  };
  return {
    enabled: config.getOptionalBoolean(`${WORKER}.enabled`) ?? true,
    concurrency,
    leaseMs,
    pollMs: readDuration(
      config,
      `${WORKER}.pollInterval`,
      WORKER_DEFAULTS.poll,
      100,
    ),
    progressSampleMs: readDuration(
      config,
      `${WORKER}.progressSampleInterval`,
      WORKER_DEFAULTS.progressSample,
      100,
    ),
    outageBudgetMs: readDuration(
      config,
      `${WORKER}.outageBudget`,
      WORKER_DEFAULTS.outageBudget,
      1000,
    ),
    maintenanceWindows: readMaintenanceWindows(config),
    engine: {
      image: config.getOptionalString('namespaceTransfer.mover.image'),
      moverResources: readMoverResources(config),
      ingressDomain: config.getOptionalString(
        'namespaceTransfer.endpoint.ingressDomain',
      ),
      loadBalancer: config.getOptionalBoolean(
        'namespaceTransfer.endpoint.loadBalancer',
      ),
    },
  };
}
