import type { InformerHandlers } from '../kube/informer';
import type { Pod } from '../kube/types';
import { controllerOf } from './pods';

/**
 * ControllerExpectations of client-go: after a controller asks for N creations/deletions it waits until its
 * informer has seen them before acting on the same owner again, so a lagging cache never makes it create
 * twice. Expectations expire after a while so a lost event cannot block an owner forever.
 */
export class Expectations {
  private readonly pending = new Map<
    string,
    { adds: number; deletes: Set<string>; at: number }
  >();

  constructor(private readonly ttlMs = 60_000) {}

  expect(owner: string, adds: number, deletes: string[] = []): void {
    this.pending.set(owner, {
      adds,
      deletes: new Set(deletes),
      at: Date.now(),
    });
  }

  observedAdd(owner: string): void {
    const e = this.pending.get(owner);
    if (e) e.adds--;
  }

  observedDelete(owner: string, name: string): void {
    this.pending.get(owner)?.deletes.delete(name);
  }

  /** a create that failed will never be observed */
  lowerAdds(owner: string, n = 1): void {
    const e = this.pending.get(owner);
    if (e) e.adds -= n;
  }

  satisfied(owner: string): boolean {
    const e = this.pending.get(owner);
    if (!e) return true;
    if (
      (e.adds <= 0 && e.deletes.size === 0) ||
      Date.now() - e.at > this.ttlMs
    ) {
      this.pending.delete(owner);
      return true;
    }
    return false;
  }

  forget(owner: string): void {
    this.pending.delete(owner);
  }
}

/**
 * Pod informer handlers for a controller of `kind` that owns pods: each pod event settles the owner's
 * expectations (a pod being gracefully deleted already counts as gone, as upstream), then `enqueue` runs.
 */
export function podHandlers(
  kind: string,
  expectations: Expectations,
  enqueue: (pod: Pod) => void,
): InformerHandlers<Pod> {
  const ownerKey = (p: Pod) => {
    const ref = controllerOf(p);
    return ref?.kind === kind
      ? `${p.metadata?.namespace}/${ref.name}`
      : undefined;
  };
  const deleted = (p: Pod) => {
    const key = ownerKey(p);
    if (key) expectations.observedDelete(key, p.metadata?.name as string);
  };
  return {
    add: p => {
      const key = ownerKey(p);
      if (key) expectations.observedAdd(key);
      enqueue(p);
    },
    update: (_, p) => {
      if (p.metadata?.deletionTimestamp) deleted(p);
      enqueue(p);
    },
    delete: p => {
      deleted(p);
      enqueue(p);
    },
  };
}
