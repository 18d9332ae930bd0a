import type {
  Plan,
  TransportKind,
  WorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { selectEndpoint } from '../endpoint';
import {
  idsFromPodSpec,
  selectIdentity,
  OPENSHIFT_UID_RANGE,
} from '../permissions';
import { transferFor } from '../transfer';
import { isDnsLabel } from '../naming';
import { QUIESCED_BY } from '../quiesce/annotations';
import type { PlanFacts } from './facts';
import { formatBytes, parseQuantity } from './quantity';
import {
  finishedPodBlocker,
  ALLOW_TRANSFER_ANNOTATION,
  POD_SECURITY_ENFORCE,
  Refusals,
  TRANSFERABLE_ANNOTATION,
} from './refusals';
import { mapStorageClass } from './storage';
import { rightsVerdict } from './rights';
import { quotaVerdict } from './quota';

/**
 * Assumed when nothing was measured: a conservative rate for rsync through stunnel across clusters.
 *
 * @public
 */
export const DEFAULT_THROUGHPUT = 100 * 2 ** 20;
/**
 * Pods, exposure and certificates: what even an empty volume costs.
 *
 * @public
 */
export const FIXED_OVERHEAD_SECONDS = 20;
/** Share of the data assumed to change between the staged copy and cutover. */
const CUTOVER_DELTA = 0.02;

const ref = (r: { cluster: string; namespace: string; name: string }) =>
  `${r.cluster}/${r.namespace}/${r.name}`;

/**
 * From gathered facts to a Plan: the chosen mode and why, mover, transport, endpoint, identity,
 * estimates, and every reason to refuse. Pure: the UI and CLI show it before anything runs.
 *
 * @public
 */
export function planTransfer(facts: PlanFacts): Plan {
  const { spec } = facts;
  const opts = spec.options ?? {};
  const refusals = new Refusals();
  const warnings: string[] = [];
  const pvc = facts.source.pvc;
  const pv = facts.source.pv;
  const sameCluster = spec.source.cluster === spec.destination.cluster;

  if (!isDnsLabel(spec.id))
    refusals.add('InvalidSpec', `transfer id "${spec.id}" is not a DNS label`);
  if (
    sameCluster &&
    spec.source.namespace === spec.destination.namespace &&
    spec.source.name === spec.destination.name
  ) {
    refusals.add('InvalidSpec', 'source and destination are the same PVC');
  }

  // source
  if (!pvc)
    refusals.add(
      'SourceMissing',
      `source PVC ${ref(spec.source)} does not exist`,
    );
  else if (pvc.status?.phase !== 'Bound') {
    refusals.add(
      'SourceNotBound',
      `source PVC ${ref(spec.source)} is ${pvc.status?.phase ?? 'not bound'}, not Bound`,
    );
  }
  if (pvc?.metadata?.annotations?.[TRANSFERABLE_ANNOTATION] === 'false') {
    refusals.add(
      'OptedOut',
      `source PVC ${ref(spec.source)} is annotated ${TRANSFERABLE_ANNOTATION}: "false"`,
    );
  }
  if (
    facts.source.namespace?.metadata?.annotations?.[TRANSFERABLE_ANNOTATION] ===
    'false'
  ) {
    refusals.add(
      'OptedOut',
      `source namespace ${spec.source.namespace} is annotated ${TRANSFERABLE_ANNOTATION}: "false"`,
    );
  }
  const capacityBytes = parseQuantity(
    pvc?.status?.capacity?.storage ?? pvc?.spec?.resources?.requests?.storage,
  );
  const sourceClass = pvc?.spec?.storageClassName ?? pv?.spec?.storageClassName;

  // destination
  const unreadable = new Set(facts.unreadable ?? []);
  for (const u of unreadable)
    warnings.push(
      `not allowed to read ${u}: the checks that need it were skipped`,
    );
  if (!facts.destination.namespace && !unreadable.has('destinationNamespace')) {
    refusals.add(
      'DestinationNamespaceMissing',
      `destination namespace ${spec.destination.cluster}/${spec.destination.namespace} does not exist`,
    );
  }
  if (facts.destination.existingPvc) {
    refusals.add(
      'DestinationExists',
      `destination PVC ${ref(spec.destination)} already exists`,
    );
  }
  const mapped = mapStorageClass(
    spec.destination.storageClassName,
    sourceClass,
    facts.destination.storageClasses,
  );
  if (!mapped.found && !unreadable.has('storageClasses')) {
    refusals.add(
      'StorageClassUnknown',
      `storage class "${mapped.name ?? '(none)'}" does not exist in cluster ${spec.destination.cluster} (${mapped.how})`,
    );
  }
  const requestedBytes = parseQuantity(spec.destination.size);
  if (spec.destination.size && requestedBytes === undefined)
    refusals.add(
      'InvalidSpec',
      `size "${spec.destination.size}" is not a quantity`,
    );
  const sizeBytes = requestedBytes ?? capacityBytes;
  // what must fit: the used bytes when measured, else (for a requested smaller size) the whole capacity
  const needed =
    facts.source.usedBytes ??
    (requestedBytes !== undefined ? capacityBytes : undefined);
  if (sizeBytes !== undefined && needed !== undefined && needed > sizeBytes) {
    refusals.add(
      'DestinationTooSmall',
      `destination size ${formatBytes(sizeBytes)} is smaller than the source (${formatBytes(needed)} needed)`,
    );
  }

  // workloads and quiesce
  const workloads: WorkloadRef[] = facts.sourceWorkloads.map(w => w.ref);
  const inUse =
    facts.sourcePods.length > 0 || workloads.some(w => (w.replicas ?? 0) > 0);
  if (inUse && opts.quiesce === false) {
    const users = facts.sourcePods
      .map(p => `pod ${p.metadata?.name}`)
      .concat(workloads.map(w => `${w.kind} ${w.name}`));
    refusals.add(
      'InUseQuiesceDisallowed',
      `the source PVC is in use (${users.join(', ')}) and quiescing is not allowed`,
    );
  }

  // a user the engine cannot stop (and give back) would keep writing while the data is copied, or keep
  // the claim: refused whatever the mode, never copied live
  for (const u of facts.sourceUnstoppable ?? [])
    refusals.add(
      'InUseUnstoppable',
      `${u.kind} ${spec.source.namespace}/${u.name} uses the source PVC${u.pods.length && !(u.kind === 'Pod' && u.pods.length === 1) ? ` (pods ${u.pods.join(', ')})` : ''} and cannot be stopped: ${u.reason}`,
    );

  // another transfer's quiesce holds a workload: this one could not stop it (quiesce refuses a workload
  // held by someone else) nor safely give it back, and would find out only after staging
  for (const w of facts.sourceWorkloads)
    if (w.quiescedBy && w.quiescedBy !== spec.id)
      refusals.add(
        'SourceInTransfer',
        `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} is held scaled down by transfer ${w.quiescedBy} (still running, or a finished move, which keeps its source stopped): let it finish or cancel it; after a move, restore the replicas and remove the annotation ${QUIESCED_BY}`,
      );

  // mode
  const storageClassObj = facts.source.storageClasses.find(
    c => c.metadata?.name === sourceClass,
  );
  const rebindBlockers: string[] = [];
  if (!sameCluster)
    rebindBlockers.push('the destination is in another cluster');
  if (mapped.name && sourceClass && mapped.name !== sourceClass)
    rebindBlockers.push('the storage class changes');
  if (!pv) rebindBlockers.push('the source has no PersistentVolume');
  const allowFlag =
    storageClassObj?.metadata?.annotations?.[ALLOW_TRANSFER_ANNOTATION];
  if (!(
    allowFlag === 'true' ||
    (allowFlag === undefined && facts.allowTransferDefault === true)
  )) {
    rebindBlockers.push(
      allowFlag === undefined
        ? `storage class "${sourceClass ?? '(none)'}" is not annotated ${ALLOW_TRANSFER_ANNOTATION} and the default forbids it`
        : `storage class "${sourceClass ?? '(none)'}" is annotated ${ALLOW_TRANSFER_ANNOTATION}: "${allowFlag}"`,
    );
  }
  for (const p of facts.finishedSourcePods ?? []) {
    rebindBlockers.push(finishedPodBlocker(spec.source.namespace, p));
  }
  if (spec.intent === 'clone')
    rebindBlockers.push(
      'a clone keeps the source, so its volume cannot be handed over',
    );
  const { mode, modeReason, otherMode } = chooseMode(spec, rebindBlockers);
  if (spec.mode === 'rebind' && rebindBlockers.length)
    refusals.add(
      'RebindImpossible',
      `rebind is impossible: ${rebindBlockers.join('; ')}`,
    );

  // the movers copy files: a raw block device has none (rebind hands it over as it is)
  if (mode === 'copy' && pvc?.spec?.volumeMode === 'Block')
    refusals.add(
      'MoverNotSupported',
      `source PVC ${ref(spec.source)} is a raw block volume (volumeMode: Block): copy moves files, so only rebind (same cluster and storage class) can transfer it`,
    );

  // mover, transport, endpoint (copy only)
  const moverKind = opts.mover ?? 'rsync';
  const mover = transferFor(moverKind);
  let transport: TransportKind =
    opts.transport ??
    (mover && !mover.supportsSidecarTransport ? 'null' : 'stunnel');
  let endpoint: Plan['endpoint'];
  let endpointReason: string | undefined;
  if (mode === 'copy') {
    if (!mover)
      refusals.add(
        'MoverNotSupported',
        `mover "${moverKind}" is not available in this engine`,
      );
    else if (transport === 'null' && !mover.encrypts) {
      refusals.add(
        'InsecureTransport',
        `mover "${moverKind}" does not encrypt by itself; it needs the stunnel transport`,
      );
    } else if (transport === 'stunnel' && !mover.supportsSidecarTransport) {
      refusals.add(
        'MoverNotSupported',
        `mover "${moverKind}" brings its own TLS and runs over the null transport only`,
      );
    }
    const sel = selectEndpoint(opts.endpoint ?? 'auto', {
      ...facts.discovery,
      sameCluster,
      cluster: spec.destination.cluster,
      ingressClassName: opts.ingressClassName,
    });
    if ('refusal' in sel) refusals.add('NoEndpoint', sel.refusal);
    else {
      endpoint = sel.kind;
      endpointReason = sel.reason;
      warnings.push(...(sel.warnings ?? []));
    }
    if (mover && !mover.fidelity.hardLinks)
      warnings.push(`mover "${moverKind}" copies hard links as separate files`);
    if (mover && !mover.fidelity.modes)
      warnings.push(`mover "${moverKind}" keeps neither file modes nor times`);
  } else {
    transport = 'null';
  }

  // identity and pod security
  const destAnnotations =
    facts.destination.namespace?.metadata?.annotations ?? {};
  const identity =
    mode === 'copy'
      ? selectIdentity({
          override:
            opts.runAsUser !== undefined
              ? {
                  runAsUser: opts.runAsUser,
                  runAsGroup: opts.runAsGroup,
                  fsGroup: opts.fsGroup,
                }
              : undefined,
          destinationPodSpecs: facts.destination.workloadPodSpecs,
          destinationNamespaceAnnotations: destAnnotations,
          sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
            w.podSpec ? [w.podSpec] : [],
          ),
        })
      : undefined;
  if (
    mode === 'copy' &&
    !destAnnotations[OPENSHIFT_UID_RANGE] &&
    facts.discovery.routeApiServed
  ) {
    warnings.push(
      'the destination serves Routes but its namespace has no UID range annotation',
    );
  }
  if (
    mode === 'copy' &&
    !facts.sourceWorkloads.some(
      w => w.podSpec && idsFromPodSpec(w.podSpec).runAsUser,
    )
  ) {
    // the client reads as the identity that wrote the files; without one it can only read what others may
    warnings.push(
      'no workload of the source PVC names its user: the client reads as a default non-root user, so files only their owner may read will fail',
    );
  }
  const podSecurity = {
    source: facts.source.namespace?.metadata?.labels?.[POD_SECURITY_ENFORCE],
    destination:
      facts.destination.namespace?.metadata?.labels?.[POD_SECURITY_ENFORCE],
  };

  // staging needs a second mount of the source while the application runs
  const accessModes = pvc?.spec?.accessModes ?? [];
  if (mode === 'copy' && inUse && accessModes.includes('ReadWriteOncePod')) {
    warnings.push(
      'ReadWriteOncePod: the source cannot be mounted while the application runs, so there is no staging',
    );
  } else if (
    mode === 'copy' &&
    inUse &&
    accessModes.includes('ReadWriteOnce') &&
    !accessModes.includes('ReadWriteMany')
  ) {
    warnings.push(
      'ReadWriteOnce: while staging, the client pod must run on the node of the application pod',
    );
  }

  // rights: every one the chosen flow needs and the identity lacks, before anything changes
  const rights = rightsVerdict(facts.rights);
  for (const message of rights.refusals)
    refusals.add('MissingPermission', message);
  warnings.push(...rights.warnings);

  // quotas and LimitRanges: the destination claim and the mover pods must be admitted, or nothing starts
  const quota = quotaVerdict({
    facts: facts.quota,
    mode,
    source: spec.source,
    destination: {
      ...spec.destination,
      // a rebind's claim asks for what the source claim asked for
      sizeBytes:
        mode === 'rebind'
          ? parseQuantity(pvc?.spec?.resources?.requests?.storage)
          : sizeBytes,
      storageClassName: mapped.name,
    },
    containersPerPod: transport === 'stunnel' ? 2 : 1,
    endpoint,
  });
  for (const message of quota.refusals) refusals.add('QuotaExceeded', message);
  warnings.push(...quota.warnings);

  // estimates
  const bytes = facts.source.usedBytes ?? capacityBytes;
  const rate = facts.throughputBytesPerSecond ?? DEFAULT_THROUGHPUT;
  let estimatedSeconds: number | undefined;
  let estimatedDowntimeSeconds: number | undefined;
  if (mode === 'rebind') {
    estimatedSeconds = 5;
    estimatedDowntimeSeconds = inUse ? 5 : 0;
  } else if (bytes !== undefined) {
    estimatedSeconds = Math.ceil(FIXED_OVERHEAD_SECONDS + bytes / rate);
    const stage =
      opts.stage !== false && !accessModes.includes('ReadWriteOncePod');
    const sync = stage ? (bytes * CUTOVER_DELTA) / rate : bytes / rate;
    estimatedDowntimeSeconds = inUse ? Math.ceil(5 + sync) : 0;
    if (facts.source.usedBytes === undefined)
      warnings.push('used bytes unknown: estimates assume a full volume');
  }

  return {
    transferId: spec.id,
    source: {
      ...spec.source,
      capacityBytes,
      usedBytes: facts.source.usedBytes,
      storageClassName: sourceClass,
      accessModes,
      volumeName: pvc?.spec?.volumeName,
    },
    destination: {
      ...spec.destination,
      storageClassName: mapped.name,
      sizeBytes,
      exists: !!facts.destination.existingPvc,
    },
    mode,
    modeReason,
    otherMode,
    intent: spec.intent,
    mover: moverKind,
    transport,
    endpoint,
    endpointReason,
    identity,
    workloads,
    usedBy: {
      pods: facts.sourcePods.map(p => p.metadata?.name ?? ''),
      finishedPods: (facts.finishedSourcePods ?? []).map(
        p => p.metadata?.name ?? '',
      ),
    },
    podSecurity,
    moverResources: quota.moverResources,
    estimatedSeconds,
    estimatedDowntimeSeconds,
    warnings,
    refusals: refusals.list,
    allowed: refusals.list.length === 0,
  };
}

const HANDED_OVER =
  'the volume itself is handed to the new claim, without copying data';
const COPIED = 'the data is copied to a new volume';

/**
 * The mode and one sentence on what will happen and why; apart from it, why the other mode was not
 * chosen (a reason for copy is not a refusal, and should not read like one).
 */
function chooseMode(
  spec: PlanFacts['spec'],
  rebindBlockers: string[],
): Pick<Plan, 'mode' | 'modeReason' | 'otherMode'> {
  if (spec.mode === 'rebind')
    return {
      mode: 'rebind',
      modeReason: `${HANDED_OVER}, as requested`,
      otherMode: { mode: 'copy', whyNot: 'rebind was requested' },
    };
  if (spec.mode === 'auto' && rebindBlockers.length === 0)
    return {
      mode: 'rebind',
      modeReason: `${HANDED_OVER} (a few API calls, whatever its size): same cluster and storage class, and the class allows it`,
      otherMode: {
        mode: 'copy',
        whyNot: 'not needed: the volume can move as it is',
      },
    };
  return {
    mode: 'copy',
    modeReason:
      spec.mode === 'copy'
        ? `${COPIED}, as requested`
        : `${COPIED}, because ${rebindBlockers[0]}`,
    otherMode: {
      mode: 'rebind',
      whyNot: rebindBlockers.length
        ? rebindBlockers.join('; ')
        : 'possible, but copy was requested',
    },
  };
}
