import type {
  Identity,
  Plan,
  WorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * What differs in substance between the plan people approved and a fresh one, one line each for the
 * people asked to approve again; empty when the approval still covers the fresh plan.
 *
 * Substance is what an approver relied on: which flow runs (mode, intent), whose application stops (new
 * users of the claim), which data moves (the source's volume), where and as what it lands (destination
 * claim, storage class, size, identity), how it travels (mover, transport, endpoint) and what the engine
 * refuses. Estimates, warnings, the mover's resources (the operator's config) and the names of pods that a
 * rollout replaced are not: they change between any two plans without changing what happens.
 * Users of the claim that went away are not either: less stops than was approved.
 *
 * @public
 */
export function planChanges(approved: Plan, fresh: Plan): string[] {
  return [
    ...flowChanges(approved, fresh),
    ...userChanges(approved, fresh),
    ...dataChanges(approved, fresh),
    ...refusalChanges(approved, fresh),
  ];
}

const shown = (v: unknown) =>
  v === undefined || v === null || v === '' ? 'none' : String(v);

function changed(
  what: string,
  was: unknown,
  now: unknown,
  why?: string,
): string[] {
  if (shown(was) === shown(now)) return [];
  return [
    `${what} is now ${shown(now)} (approved: ${shown(was)})${why ? `: ${why}` : ''}`,
  ];
}

function flowChanges(a: Plan, f: Plan): string[] {
  return [
    ...changed('the mode', a.mode, f.mode, f.modeReason),
    ...changed('the intent', a.intent, f.intent),
    ...changed('the mover', a.mover, f.mover),
    ...changed('the transport', a.transport, f.transport),
    ...changed('the endpoint', a.endpoint, f.endpoint, f.endpointReason),
  ];
}

const workloadKey = (w: WorkloadRef) => `${w.kind} ${w.namespace}/${w.name}`;

function userChanges(a: Plan, f: Plan): string[] {
  const before = new Map(a.workloads.map(w => [workloadKey(w), w]));
  const lines: string[] = [];
  for (const w of f.workloads) {
    const was = before.get(workloadKey(w));
    if (!was)
      lines.push(
        `${workloadKey(w)} now uses the claim and will be stopped (it did not when approved)`,
      );
    else if (!(was.replicas ?? 0) && (w.replicas ?? 0) > 0)
      // stopping what was already stopped cost nothing; now it is a downtime
      lines.push(
        `${workloadKey(w)} now runs (${w.replicas} replicas; it ran none when approved) and will be stopped`,
      );
  }
  const podsBefore = a.usedBy?.pods.length ?? 0;
  const podsNow = f.usedBy?.pods.length ?? 0;
  if (!podsBefore && podsNow)
    lines.push(
      `the claim is now in use by ${podsNow} pod${podsNow === 1 ? '' : 's'} (${f.usedBy!.pods.join(', ')}); it was not when approved`,
    );
  return lines;
}

const identityOf = (i: Identity | undefined) =>
  i
    ? `uid ${i.runAsUser}, gid ${i.runAsGroup}${i.fsGroup !== undefined ? `, fsGroup ${i.fsGroup}` : ''}${i.groupWritable ? ', group-writable' : ''}`
    : undefined;

function dataChanges(a: Plan, f: Plan): string[] {
  const where = (p: Plan) =>
    `${p.destination.cluster}/${p.destination.namespace}/${p.destination.name}`;
  return [
    ...changed(
      "the source claim's volume",
      a.source.volumeName,
      f.source.volumeName,
      'the claim was bound to another volume, so other data would move',
    ),
    ...changed('the destination', where(a), where(f)),
    ...changed(
      "the destination's storage class",
      a.destination.storageClassName,
      f.destination.storageClassName,
    ),
    ...changed(
      "the destination's size",
      a.destination.sizeBytes === undefined
        ? undefined
        : `${a.destination.sizeBytes} bytes`,
      f.destination.sizeBytes === undefined
        ? undefined
        : `${f.destination.sizeBytes} bytes`,
    ),
    ...changed(
      'the identity the files land as',
      identityOf(a.identity),
      identityOf(f.identity),
    ),
  ];
}

function refusalChanges(a: Plan, f: Plan): string[] {
  const before = new Set(a.refusals.map(r => r.code));
  return f.refusals
    .filter(r => !before.has(r.code))
    .map(r => `the engine now refuses it: ${r.code}: ${r.message}`);
}
