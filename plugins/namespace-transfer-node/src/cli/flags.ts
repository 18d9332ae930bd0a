import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  ENDPOINT_KINDS,
  MOVER_KINDS,
  TRANSFER_INTENTS,
  TRANSFER_MODES,
  TRANSPORT_KINDS,
  type EndpointChoice,
  type MoverKind,
  type TransferIntent,
  type TransferMode,
  type TransferOptions,
  type TransportKind,
  type VerifyMode,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { parseDuration } from '../clusters/policy';
import { DEFAULT_IMAGE } from '../copy/types';
import { UsageError } from './exitCodes';
import { quantityValue } from '../plan/quantity';
import {
  DEFAULT_MOVER_REQUESTS,
  DEMANDED_LIMITS,
  type MoverResourceOptions,
} from '../pods/resources';

/** The flags as commander hands them over (camelCase of the long names). */
export interface EngineFlags {
  kubeconfig?: string;
  sourceContext?: string;
  destinationContext?: string;
  all?: boolean;
  namespace: string[];
  destinationNamespace?: string;
  destinationName?: string;
  namespaceMap: string[];
  id?: string;
  mode: TransferMode;
  intent: TransferIntent;
  mover?: MoverKind;
  transport?: TransportKind;
  endpoint?: EndpointChoice;
  storageClass?: string;
  storageClassMap: string[];
  size?: string;
  label: string[];
  quiesce: boolean;
  stage: boolean;
  verify?: VerifyMode;
  verifySampleRatio?: number;
  deleteSource?: boolean;
  maxAttempts?: number;
  ingressClass?: string;
  ingressDomain?: string;
  loadBalancer?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  /** ms a cluster may not answer before a running transfer stops (from --outage-budget) */
  outageBudget?: number;
  image?: string;
  moverCpuRequest?: string;
  moverMemoryRequest?: string;
  moverCpuLimit?: string;
  moverMemoryLimit?: string;
  concurrency: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function integer(min: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`must be an integer >= ${min}`);
    return n;
  };
}

function duration(value: string) {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function ratio(value: string) {
  const n = Number(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError('must be a number in (0, 1]');
  return n;
}

/** A Kubernetes quantity (`100m`, `1`, `128Mi`), refused here rather than by the API server mid-run. */
function quantity(value: string) {
  const n = quantityValue(value);
  if (n === undefined || n <= 0)
    throw new InvalidArgumentError(
      'must be a positive Kubernetes quantity, e.g. 250m, 1, 256Mi',
    );
  return value;
}

/** The mover containers' resources from the --mover-* flags; the engine's defaults for what is not given. */
export function moverResourceOptions(f: EngineFlags): MoverResourceOptions {
  const pick = (cpu?: string, memory?: string) =>
    cpu || memory
      ? { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) }
      : undefined;
  const requests = pick(f.moverCpuRequest, f.moverMemoryRequest);
  const limits = pick(f.moverCpuLimit, f.moverMemoryLimit);
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** Where the kubeconfig and the two contexts come from: shared by every command that talks to clusters. */
export function addClusterFlags(cmd: Command): Command {
  return cmd
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)',
    )
    .option(
      '--source-context <name>',
      'kubeconfig context of the source cluster (default: the current context)',
    )
    .option(
      '--destination-context <name>',
      'kubeconfig context of the destination cluster (default: the source context)',
    );
}

/** What to transfer and how: every engine option, shared by `plan` and `run`. */
export function addTransferFlags(cmd: Command): Command {
  return addClusterFlags(cmd)
    .option('--all', 'every PVC of the namespaces given with -n')
    .option(
      '-n, --namespace <ns>',
      'source namespace for --all (repeatable)',
      collect,
      [],
    )
    .option(
      '--destination-namespace <ns>',
      'destination namespace (default: the source namespace)',
    )
    .option(
      '--destination-name <name>',
      'destination PVC name (default: the source name; single PVC only)',
    )
    .option(
      '--namespace-map <src=dst>',
      'destination namespace per source namespace for --all (repeatable)',
      collect,
      [],
    )
    .option(
      '--id <id>',
      'transfer (or batch) id: a DNS label; default a new random one',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'rebind hands the volume over (same cluster), copy moves the bytes',
      )
        .choices(TRANSFER_MODES)
        .default('auto'),
    )
    .addOption(
      new Option(
        '--intent <intent>',
        'move keeps the source stopped; clone restores it',
      )
        .choices(TRANSFER_INTENTS)
        .default('move'),
    )
    .addOption(
      new Option('--mover <mover>', 'data mover (default: rsync)').choices(
        MOVER_KINDS,
      ),
    )
    .addOption(
      new Option(
        '--transport <transport>',
        'encrypted channel (default: stunnel; null only for movers that encrypt)',
      ).choices(TRANSPORT_KINDS),
    )
    .addOption(
      new Option(
        '--endpoint <endpoint>',
        'how the destination server is exposed (default: auto)',
      ).choices([...ENDPOINT_KINDS, 'auto']),
    )
    .option('--storage-class <name>', 'storage class of the destination PVC(s)')
    .option(
      '--storage-class-map <src=dst>',
      'destination storage class per source storage class (repeatable)',
      collect,
      [],
    )
    .option(
      '--size <quantity>',
      'size of the destination PVC (default: the source capacity)',
    )
    .option(
      '--label <key=value>',
      "label of the destination PVC, over the source PVC's own (repeatable)",
      collect,
      [],
    )
    .option(
      '--no-quiesce',
      'never scale down the workloads that use the PVC (refused when it is in use)',
    )
    .option(
      '--no-stage',
      'no staging sync while the application runs: quiesce first, then one sync',
    )
    .addOption(
      new Option(
        '--verify <mode>',
        'checksum after the final sync (default: full)',
      ).choices(['none', 'sample', 'full']),
    )
    .option(
      '--verify-sample-ratio <ratio>',
      'share of files checked with --verify sample',
      ratio,
    )
    .option('--delete-source', 'delete the source PVC after a verified move')
    .option('--max-attempts <n>', 'mover attempts before giving up', integer(1))
    .option('--ingress-class <name>', 'ingress class for --endpoint ingress')
    .option(
      '--ingress-domain <domain>',
      'host domain for --endpoint ingress (hosts are <name>.<domain>)',
    )
    .option(
      '--load-balancer',
      'the destination cluster has a load balancer (lets auto pick loadbalancer)',
    )
    .option(
      '--run-as-user <uid>',
      'identity the files land as (default: from the destination workload or namespace)',
      integer(0),
    )
    .option('--run-as-group <gid>', 'group the files land as', integer(0))
    .option('--fs-group <gid>', 'fsGroup of the mover pods', integer(0))
    .option(
      '--image <image>',
      `container image of the mover pods, with the packages of deploy/images/mover (default ${DEFAULT_IMAGE})`,
    )
    .option(
      '--mover-cpu-request <quantity>',
      `CPU each mover container requests (default ${DEFAULT_MOVER_REQUESTS.cpu})`,
      quantity,
    )
    .option(
      '--mover-memory-request <quantity>',
      `memory each mover container requests (default ${DEFAULT_MOVER_REQUESTS.memory})`,
      quantity,
    )
    .option(
      '--mover-cpu-limit <quantity>',
      `CPU limit of each mover container (default: none, ${DEMANDED_LIMITS.cpu} where a quota demands one); a low one throttles stunnel's TLS and so the copy rate`,
      quantity,
    )
    .option(
      '--mover-memory-limit <quantity>',
      `memory limit of each mover container (default: none, ${DEMANDED_LIMITS.memory} where a quota demands one)`,
      quantity,
    )
    .option(
      '--outage-budget <duration>',
      'how long a running transfer waits for a cluster whose API server does not answer (restart, failover) before it stops, not rolled back and resumable: e.g. 90s, 5m (default: 5m)',
      duration,
    )
    .option(
      '--concurrency <n>',
      'transfers at a time with --all',
      integer(1),
      2,
    );
}

/** `a=b` pairs of a repeatable flag. */
export function parsePairs(
  flag: string,
  values: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([^=]+)=([^=]+)$/.exec(v);
    if (!m)
      throw new UsageError(`${flag} takes <source>=<destination>, got "${v}"`);
    out[m[1]] = m[2];
  }
  return out;
}

const LABEL_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** --label key=value pairs, checked against Kubernetes' label syntax (else the API server refuses later). */
export function parseLabels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    const key = i < 0 ? v : v.slice(0, i);
    const value = i < 0 ? '' : v.slice(i + 1);
    if (i < 0 || !LABEL_NAME.test(key) || !LABEL_VALUE.test(value))
      throw new UsageError(
        `--label takes key=value with a Kubernetes label name and value (value: at most 63 letters, digits, "-", "_" or "."), got "${v}"`,
      );
    out[key] = value;
  }
  return out;
}

/** The engine's TransferOptions from the flags; only what was given, so the plan reports the defaults. */
export function transferOptions(f: EngineFlags): TransferOptions {
  const o: TransferOptions = {};
  if (f.mover) o.mover = f.mover;
  if (f.transport) o.transport = f.transport;
  if (f.endpoint) o.endpoint = f.endpoint;
  if (f.quiesce === false) o.quiesce = false;
  if (f.stage === false) o.stage = false;
  if (f.verify) o.verify = f.verify;
  if (f.verifySampleRatio !== undefined) {
    if (f.verify !== 'sample')
      throw new UsageError('--verify-sample-ratio needs --verify sample');
    o.verifySampleRatio = f.verifySampleRatio;
  }
  if (f.deleteSource) {
    if (f.intent === 'clone')
      throw new UsageError('--delete-source contradicts --intent clone');
    o.deleteSource = true;
  }
  if (f.maxAttempts !== undefined) o.maxAttempts = f.maxAttempts;
  if (f.ingressClass) o.ingressClassName = f.ingressClass;
  if (f.runAsUser !== undefined) o.runAsUser = f.runAsUser;
  if (f.runAsGroup !== undefined) o.runAsGroup = f.runAsGroup;
  if (f.fsGroup !== undefined) o.fsGroup = f.fsGroup;
  if (f.image) o.image = f.image;
  return o;
}
