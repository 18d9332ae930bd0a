import type { ControllerContext } from '../kube/context';
import type { ResourceRef } from '../kube/resources';
import { isConflict, isNotFound } from '../kube/rest';
import { matchesSelector } from '../../lib/selectors';
import type { KubeObject, LabelSelector, OwnerReference } from '../kube/types';
import { controllerOf } from './pods';

/**
 * ControllerRefManager upstream: a controller owns what carries its controllerRef; it adopts orphans that
 * match its selector (unless it is being deleted) and releases what it owns but no longer matches. Both
 * are written as merge patches guarded by the object's uid and resourceVersion, so a concurrent change
 * wins and the next sync looks again.
 */
export async function claimObjects<T extends KubeObject>(
  ctx: ControllerContext,
  resource: ResourceRef,
  owner: KubeObject,
  ownerRef: OwnerReference,
  selector: LabelSelector | undefined,
  candidates: T[],
): Promise<T[]> {
  const ownerUid = owner.metadata?.uid;
  // Without a selector nothing can be matched: keep exactly what already carries our controllerRef.
  if (!selector)
    return candidates.filter(o => controllerOf(o)?.uid === ownerUid);
  const claimed: T[] = [];
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const matches = matchesSelector(selector, obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches || owner.metadata?.deletionTimestamp) {
        claimed.push(obj);
        continue;
      }
      await patchOwners(
        ctx,
        resource,
        obj,
        (obj.metadata?.ownerReferences ?? []).filter(r => r.uid !== ownerUid),
      );
      continue;
    }
    // An empty selector would adopt everything in the namespace: upstream refuses it, and so do we.
    const empty =
      !selector ||
      (!Object.keys(selector.matchLabels ?? {}).length &&
        !(selector.matchExpressions ?? []).length);
    if (
      !matches ||
      empty ||
      owner.metadata?.deletionTimestamp ||
      obj.metadata?.deletionTimestamp
    )
      continue;
    if (
      await patchOwners(ctx, resource, obj, [
        ...(obj.metadata?.ownerReferences ?? []),
        ownerRef,
      ])
    )
      claimed.push(obj);
  }
  return claimed;
}

async function patchOwners(
  ctx: ControllerContext,
  resource: ResourceRef,
  obj: KubeObject,
  ownerReferences: OwnerReference[],
): Promise<boolean> {
  try {
    await ctx.rest.patch(
      resource,
      obj.metadata?.namespace,
      obj.metadata?.name as string,
      {
        metadata: {
          uid: obj.metadata?.uid,
          resourceVersion: obj.metadata?.resourceVersion,
          ownerReferences,
        },
      },
    );
    return true;
  } catch (e) {
    if (isNotFound(e) || isConflict(e)) return false;
    throw e;
  }
}
