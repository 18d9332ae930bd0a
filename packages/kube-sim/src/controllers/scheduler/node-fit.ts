import { matchesMap } from '../../lib/selectors';
import type { Node, PersistentVolume, Pod } from '../kube/types';

type Requirement = { key: string; operator: string; values?: string[] };
type Term = { matchExpressions?: Requirement[]; matchFields?: Requirement[] };

function requirementHolds(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** A NodeSelectorTerm: all its expressions (labels) and fields (only metadata.name exists) hold. */
export function termMatches(term: Term, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every(r => requirementHolds(r, labels[r.key])) &&
    fields.every(r =>
      requirementHolds(
        r,
        r.key === 'metadata.name' ? node.metadata?.name : undefined,
      ),
    )
  );
}

/** A NodeSelector: any of its terms matches (terms are ORed). */
export function nodeSelectorMatches(
  terms: Term[] | undefined,
  node: Node,
): boolean {
  return !terms || terms.some(t => termMatches(t, node));
}

export function isNodeReady(node: Node): boolean {
  return (
    node.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

function tolerated(
  pod: Pod,
  taint: { key: string; value?: string; effect: string },
): boolean {
  return (pod.spec?.tolerations ?? []).some(t => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * Why a node cannot run the pod (the filter plugins upstream: NodeUnschedulable, NodeName, NodeAffinity,
 * TaintToleration, VolumeBinding's node affinity of bound PVs), or undefined when it fits.
 */
export function unfitReason(
  pod: Pod,
  node: Node,
  boundVolumes: PersistentVolume[],
): string | undefined {
  if (!isNodeReady(node))
    return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  if (
    node.spec?.unschedulable &&
    !tolerated(pod, {
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
    })
  )
    return 'node(s) were unschedulable';
  if (!matchesMap(pod.spec?.nodeSelector, node.metadata?.labels))
    return "node(s) didn't match Pod's node affinity/selector";
  const required =
    pod.spec?.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!nodeSelectorMatches(required, node))
    return "node(s) didn't match Pod's node affinity/selector";
  for (const t of node.spec?.taints ?? []) {
    if (
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !tolerated(pod, t)
    )
      return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  for (const pv of boundVolumes) {
    if (
      !nodeSelectorMatches(
        pv.spec?.nodeAffinity?.required?.nodeSelectorTerms,
        node,
      )
    )
      return 'node(s) had volume node affinity conflict';
  }
  return undefined;
}

/** "0/2 nodes are available: 1 node(s) were unschedulable, 1 ...", the scheduler's FitError message. */
export function fitErrorMessage(total: number, reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([r, n]) => `${n} ${r}`);
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}
