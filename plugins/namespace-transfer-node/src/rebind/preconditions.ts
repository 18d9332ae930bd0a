import type { PlanFacts } from '../plan/facts';
import {
  finishedPodBlocker,
  ALLOW_TRANSFER_ANNOTATION,
  TRANSFERABLE_ANNOTATION,
} from '../plan/refusals';
import { parseQuantity } from '../plan/quantity';
import { quotaVerdict } from '../plan/quota';
import { rightsVerdict } from '../plan/rights';
import { destinationClaimMisfits } from './adopt';
import { HELD_BY } from './annotations';
import type { PreconditionFailure } from './types';

/** @public */
export interface PreconditionOptions {
  allowTransferDefault?: boolean;
  /**
   * the destination claim is the user's, to be bound to the volume: DestinationClaimFits is checked
   * instead of DestinationNameFree, and no quota (the claim was admitted when it was made)
   */
  adoptDestination?: boolean;
}

/**
 * Every rebind precondition of the KEP, checked on gathered facts before anything is changed, and all
 * reported at once (each names itself), so a person can fix them in one go.
 *
 * @public
 */
export function checkRebindPreconditions(
  facts: PlanFacts,
  opts: PreconditionOptions = {},
): PreconditionFailure[] {
  const { spec } = facts;
  const out: PreconditionFailure[] = [];
  const fail = (
    precondition: PreconditionFailure['precondition'],
    code: PreconditionFailure['code'],
    message: string,
  ) => out.push({ precondition, code, message });
  const src = `${spec.source.namespace}/${spec.source.name}`;
  const dst = `${spec.destination.namespace}/${spec.destination.name}`;
  const { pvc, pv } = facts.source;

  if (spec.source.cluster !== spec.destination.cluster) {
    fail(
      'SameCluster',
      'RebindImpossible',
      `a volume cannot be handed to another cluster (${spec.source.cluster} -> ${spec.destination.cluster})`,
    );
  }
  if (spec.intent !== 'move')
    fail(
      'IntentIsMove',
      'RebindImpossible',
      'a clone keeps the source, so its volume cannot be handed over',
    );
  if (
    spec.source.namespace === spec.destination.namespace &&
    spec.source.name === spec.destination.name
  ) {
    fail(
      'DestinationNameFree',
      'InvalidSpec',
      'source and destination are the same claim',
    );
  }

  if (!pvc)
    fail('SourceBound', 'SourceMissing', `source PVC ${src} does not exist`);
  else if (pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) {
    fail(
      'SourceBound',
      'SourceNotBound',
      `source PVC ${src} is ${pvc.status?.phase ?? 'not bound'}, not Bound`,
    );
  } else if (!pv) {
    fail(
      'ClaimRefPointsBack',
      'RebindImpossible',
      `PersistentVolume ${pvc.spec.volumeName} of ${src} does not exist or cannot be read`,
    );
  } else {
    const ref = pv.spec?.claimRef;
    if (
      ref?.namespace !== pvc.metadata?.namespace ||
      ref?.name !== pvc.metadata?.name ||
      ref?.uid !== pvc.metadata?.uid
    ) {
      const to = ref
        ? `${ref.namespace}/${ref.name} (uid ${ref.uid ?? 'none'})`
        : 'no claim';
      fail(
        'ClaimRefPointsBack',
        'RebindImpossible',
        `PersistentVolume ${pv.metadata?.name} points at ${to}, not at ${src} (uid ${pvc.metadata?.uid})`,
      );
    }
  }
  if (
    spec.destination.storageClassName &&
    pvc &&
    spec.destination.storageClassName !==
      (pvc.spec?.storageClassName ?? pv?.spec?.storageClassName)
  ) {
    fail(
      'StorageClassAllows',
      'RebindImpossible',
      `rebind keeps the storage class; "${spec.destination.storageClassName}" was requested`,
    );
  }

  // what quiesce cannot stop (a bare pod, a running Job, an operator's workload), and with quiesce off
  // anything running, keeps using the claim
  const quiesce = spec.options?.quiesce !== false;
  for (const u of facts.sourceUnstoppable ?? [])
    fail(
      'NotInUse',
      'InUseUnstoppable',
      `${u.kind} ${u.name} uses ${src} and cannot be stopped: ${u.reason}`,
    );
  const running = facts.sourceWorkloads.filter(w => (w.ref.replicas ?? 0) > 0);
  if (!quiesce && (running.length || facts.sourcePods.length)) {
    const users = facts.sourcePods
      .map(p => `pod ${p.metadata?.name}`)
      .concat(running.map(w => `${w.ref.kind} ${w.ref.name}`));
    fail(
      'NotInUse',
      'InUseQuiesceDisallowed',
      `${users.join(', ')} use ${src} and quiescing is not allowed`,
    );
  }
  // checked before anything changes: found only after quiesce, it would have stopped the application
  // for nothing
  for (const p of facts.finishedSourcePods ?? [])
    fail(
      'NotInUse',
      'InUseQuiesceDisallowed',
      finishedPodBlocker(spec.source.namespace, p),
    );

  if (pvc?.metadata?.annotations?.[TRANSFERABLE_ANNOTATION] === 'false') {
    fail(
      'NotOptedOut',
      'OptedOut',
      `source PVC ${src} is annotated ${TRANSFERABLE_ANNOTATION}: "false"`,
    );
  }
  if (
    facts.source.namespace?.metadata?.annotations?.[TRANSFERABLE_ANNOTATION] ===
    'false'
  ) {
    fail(
      'NotOptedOut',
      'OptedOut',
      `namespace ${spec.source.namespace} is annotated ${TRANSFERABLE_ANNOTATION}: "false"`,
    );
  }

  const className = pvc?.spec?.storageClassName ?? pv?.spec?.storageClassName;
  if (pvc) {
    const sc = facts.source.storageClasses.find(
      c => c.metadata?.name === className,
    );
    const flag = sc?.metadata?.annotations?.[ALLOW_TRANSFER_ANNOTATION];
    const allowed =
      flag === 'true' ||
      (flag === undefined && opts.allowTransferDefault === true);
    if (!className)
      fail(
        'StorageClassAllows',
        'StorageClassDisallowsTransfer',
        `${src} has no storage class, so nothing allows handing its volume over`,
      );
    else if (!sc && !facts.unreadable?.includes('storageClasses'))
      fail(
        'StorageClassAllows',
        'StorageClassUnknown',
        `storage class "${className}" does not exist`,
      );
    else if (!allowed) {
      const why =
        flag === undefined
          ? 'is not annotated and the default forbids it'
          : `is annotated ${ALLOW_TRANSFER_ANNOTATION}: "${flag}"`;
      fail(
        'StorageClassAllows',
        'StorageClassDisallowsTransfer',
        `storage class "${className}" ${why}`,
      );
    }
  }

  if (!facts.destination.namespace) {
    fail(
      'DestinationNamespaceExists',
      'DestinationNamespaceMissing',
      `destination namespace ${spec.destination.namespace} does not exist`,
    );
  }
  if (opts.adoptDestination) {
    for (const m of destinationClaimMisfits(
      dst,
      facts.destination.existingPvc,
      pv,
    ))
      fail('DestinationClaimFits', m.code, m.message);
  } else {
    if (facts.destination.existingPvc)
      fail(
        'DestinationNameFree',
        'DestinationExists',
        `destination PVC ${dst} already exists`,
      );
    // the destination claim must be admitted: found out only after the source claim is gone, the run
    // would have to give the volume back
    const quota = quotaVerdict({
      facts: facts.quota,
      mode: 'rebind',
      source: spec.source,
      destination: {
        ...spec.destination,
        sizeBytes: parseQuantity(pvc?.spec?.resources?.requests?.storage),
        storageClassName: className,
      },
      containersPerPod: 0,
    });
    for (const message of quota.refusals)
      fail('QuotaAllows', 'QuotaExceeded', message);
  }

  // a right of the rebind ClusterRole the identity lacks would fail a step after the source was touched
  for (const message of rightsVerdict(facts.rights).refusals)
    fail('RightsGranted', 'MissingPermission', message);

  const holder = pv?.metadata?.annotations?.[HELD_BY];
  if (holder && holder !== spec.id)
    fail(
      'VolumeNotHeld',
      'RebindImpossible',
      `PersistentVolume ${pv?.metadata?.name} is held by transfer ${holder}`,
    );
  return out;
}
