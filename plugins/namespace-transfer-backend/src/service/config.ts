import { Config, readDurationFromConfig } from '@backstage/config';
import {
  ENDPOINT_KINDS,
  MOVER_KINDS,
  TRANSFER_INTENTS,
  TRANSFER_MODES,
  TRANSPORT_KINDS,
  TransferIntent,
  TransferMode,
  TransferOptions,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/** The workflow's part of namespaceTransfer config (config.d.ts). */
export interface WorkflowConfig {
  requiredApprovals: number;
  expireAfterMs: number;
  defaults: {
    mode: TransferMode;
    intent: TransferIntent;
    options: Pick<
      TransferOptions,
      'mover' | 'transport' | 'endpoint' | 'verify'
    >;
  };
  /** `<app.baseUrl>/namespace-transfer/transfers/`: a transfer's portal page is this and its id */
  portalUrl: string;
}

const DAY_MS = 24 * 3_600_000;

const HUMAN_DURATION_MS: Record<string, number> = {
  years: 365 * DAY_MS,
  months: 30 * DAY_MS,
  weeks: 7 * DAY_MS,
  days: DAY_MS,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

function expireAfterMs(config: Config): number {
  const key = 'namespaceTransfer.approvals.expireAfter';
  if (!config.has(key)) return 7 * DAY_MS;
  const duration = readDurationFromConfig(config, { key }) as Record<
    string,
    number | undefined
  >;
  const ms = Object.entries(duration).reduce(
    (sum, [unit, n]) => sum + (n ?? 0) * (HUMAN_DURATION_MS[unit] ?? 0),
    0,
  );
  if (!(ms > 0))
    throw new Error(`${key} must be a positive duration, e.g. 7d or 36h`);
  return ms;
}

function oneOf<T extends string>(
  config: Config,
  key: string,
  values: readonly T[],
  fallback: T,
): T {
  const v = config.getOptionalString(key) ?? fallback;
  if (!(values as readonly string[]).includes(v))
    throw new Error(`${key} must be one of ${values.join(', ')} (got "${v}")`);
  return v as T;
}

/** The engine options config sets for requests that leave them out; the engine decides the rest. */
function defaultOptions(config: Config): WorkflowConfig['defaults']['options'] {
  const d = 'namespaceTransfer.defaults';
  const options: WorkflowConfig['defaults']['options'] = {};
  if (config.has(`${d}.mover`))
    options.mover = oneOf(config, `${d}.mover`, MOVER_KINDS, 'rsync');
  if (config.has(`${d}.transport`))
    options.transport = oneOf(
      config,
      `${d}.transport`,
      TRANSPORT_KINDS,
      'stunnel',
    );
  if (config.has(`${d}.endpoint`))
    options.endpoint = oneOf(
      config,
      `${d}.endpoint`,
      [...ENDPOINT_KINDS, 'auto'] as const,
      'auto',
    );
  if (config.has(`${d}.verify`))
    options.verify = oneOf(
      config,
      `${d}.verify`,
      ['none', 'sample', 'full'] as const,
      'sample',
    );
  return options;
}

/** Reads and checks the workflow's config at start-up: a typo stops the backend, naming the key. */
export function readWorkflowConfig(config: Config): WorkflowConfig {
  const required =
    config.getOptionalNumber('namespaceTransfer.approvals.required') ?? 1;
  if (!Number.isInteger(required) || required < 1)
    throw new Error(
      `namespaceTransfer.approvals.required must be a whole number, at least 1 (got ${required})`,
    );
  const d = 'namespaceTransfer.defaults';
  // without app.baseUrl (a backend-only test) the link is relative to wherever the portal is
  const baseUrl = (config.getOptionalString('app.baseUrl') ?? '').replace(
    /\/+$/,
    '',
  );
  return {
    requiredApprovals: required,
    expireAfterMs: expireAfterMs(config),
    defaults: {
      mode: oneOf(config, `${d}.mode`, TRANSFER_MODES, 'auto'),
      intent: oneOf(config, `${d}.intent`, TRANSFER_INTENTS, 'move'),
      options: defaultOptions(config),
    },
    portalUrl: `${baseUrl}/namespace-transfer/transfers/`,
  };
}
