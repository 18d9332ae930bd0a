import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { discoverResources } from '../kube/discovery';
import type { Informer } from '../kube/informer';
import type { ResourceRef } from '../kube/resources';
import { ApiError, isNotFound } from '../kube/rest';
import type { KubeObject, OwnerReference } from '../kube/types';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';
const REDISCOVER_MS = 15_000;

interface GraphNode {
  resource: ResourceRef;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
}

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

/**
 * The garbage collector of kube-controller-manager: a graph of every object's ownerReferences across all
 * resources found by discovery (custom resources included). Dependents whose owners are all gone are
 * deleted; an owner deleted in the foreground keeps its foregroundDeletion finalizer until its blocking
 * dependents are gone; an owner deleted with orphan propagation has its references removed from its
 * dependents before its orphan finalizer is removed.
 */
export function startGarbageCollector(
  ctx: ControllerContext,
): Stoppable & { ready: Promise<void> } {
  const { rest } = ctx;
  const graph = new Map<string, GraphNode>();
  const dependents = new Map<string, Set<string>>();
  const monitored = new Map<string, Informer<KubeObject>>();
  const resourcesByGroupKind = new Map<string, ResourceRef>();
  let stopped = false;
  let lastDiscovery = 0;

  const idOf = (r: ResourceRef) => `${r.group}/${r.plural}`;
  // created before the informer handlers that feed it; process() is hoisted
  const queue = ctx.queue('garbage-collector', process, 4);

  function link(uid: string, node: GraphNode | undefined): void {
    const old = graph.get(uid);
    for (const o of old?.owners ?? []) dependents.get(o.uid)?.delete(uid);
    if (!node) {
      graph.delete(uid);
      return;
    }
    graph.set(uid, node);
    for (const o of node.owners) {
      let set = dependents.get(o.uid);
      if (!set) dependents.set(o.uid, (set = new Set()));
      set.add(uid);
    }
  }

  function observe(r: ResourceRef, obj: KubeObject, deleted: boolean): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    if (deleted) {
      link(uid, undefined);
      // Dependents of a vanished owner must be looked at: they may now be garbage.
      for (const d of dependents.get(uid) ?? []) queue.add(d);
      return;
    }
    link(uid, {
      resource: r,
      namespace: obj.metadata?.namespace,
      name: obj.metadata?.name as string,
      owners: obj.metadata?.ownerReferences ?? [],
    });
    const md = obj.metadata;
    if (
      md?.ownerReferences?.length ||
      (md?.deletionTimestamp &&
        md.finalizers?.some(f => f === FOREGROUND || f === ORPHAN))
    )
      queue.add(uid);
    // A dependent whose state changed may be what a foreground-deleting owner waits for.
    for (const o of md?.ownerReferences ?? [])
      if (graph.has(o.uid)) queue.add(o.uid);
  }

  function current(uid: string): KubeObject | undefined {
    const node = graph.get(uid);
    if (!node) return undefined;
    const obj = monitored
      .get(idOf(node.resource))
      ?.getByName(node.namespace, node.name);
    return obj?.metadata?.uid === uid ? obj : undefined;
  }

  async function ownerExists(
    ref: OwnerReference,
    dependentNamespace?: string,
  ): Promise<boolean | undefined> {
    if (graph.has(ref.uid) && current(ref.uid)) return true;
    const r = resourcesByGroupKind.get(
      `${groupOf(ref.apiVersion)}/${ref.kind}`,
    );
    // Unknown kind: we cannot tell, so we must not delete (upstream waits for the mapping too). A new CRD
    // is the usual cause: look at discovery again soon rather than at the next periodic round.
    if (!r) {
      if (Date.now() - lastDiscovery > 2000) void sync().catch(() => undefined);
      return undefined;
    }
    try {
      const live = await rest.request<KubeObject>(
        'GET',
        pathFor(
          { ...r, version: ref.apiVersion.split('/').pop() as string },
          r.namespaced ? dependentNamespace : undefined,
          ref.name,
        ),
      );
      return live.metadata?.uid === ref.uid;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  function pathFor(
    r: ResourceRef,
    namespace: string | undefined,
    name: string,
  ): string {
    const base = r.group
      ? `/apis/${r.group}/${r.version}`
      : `/api/${r.version}`;
    return `${base}${r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.plural}/${encodeURIComponent(name)}`;
  }

  async function rewrite(
    node: GraphNode,
    uid: string,
    change: (obj: KubeObject) => KubeObject | undefined,
  ): Promise<void> {
    await retryOnConflict(async () => {
      let live: KubeObject;
      try {
        live = await rest.request<KubeObject>(
          'GET',
          pathFor(node.resource, node.namespace, node.name),
        );
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      if (live.metadata?.uid !== uid) return;
      const next = change(live);
      if (next)
        await rest.request(
          'PUT',
          pathFor(node.resource, node.namespace, node.name),
          { body: next },
        );
    });
  }

  const removeFinalizer = (node: GraphNode, uid: string, finalizer: string) =>
    rewrite(node, uid, obj =>
      obj.metadata?.finalizers?.includes(finalizer)
        ? {
            ...obj,
            metadata: {
              ...obj.metadata,
              finalizers: obj.metadata.finalizers.filter(f => f !== finalizer),
            },
          }
        : undefined,
    );

  async function deleteObject(
    node: GraphNode,
    uid: string,
    propagationPolicy: string,
  ): Promise<void> {
    try {
      await rest.request(
        'DELETE',
        pathFor(node.resource, node.namespace, node.name),
        {
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            preconditions: { uid },
            propagationPolicy,
          },
        },
      );
    } catch (e) {
      // 404: already gone; 409: the uid precondition failed, i.e. a new object took the name.
      if (!isNotFound(e) && !(e instanceof ApiError && e.code === 409)) throw e;
    }
  }

  async function process(uid: string): Promise<number | undefined> {
    const node = graph.get(uid);
    const obj = current(uid);
    if (!node || !obj) return undefined;
    const md = obj.metadata ?? {};
    const deps = [...(dependents.get(uid) ?? [])].filter(d => current(d));
    if (md.deletionTimestamp) {
      if (md.finalizers?.includes(ORPHAN)) {
        for (const d of deps) {
          const dn = graph.get(d) as GraphNode;
          await rewrite(dn, d, o => ({
            ...o,
            metadata: {
              ...o.metadata,
              ownerReferences: (o.metadata?.ownerReferences ?? []).filter(
                r => r.uid !== uid,
              ),
            },
          }));
        }
        await removeFinalizer(node, uid, ORPHAN);
        return undefined;
      }
      if (md.finalizers?.includes(FOREGROUND)) {
        let blocking = 0;
        for (const d of deps) {
          const dep = current(d) as KubeObject;
          const ref = dep.metadata?.ownerReferences?.find(r => r.uid === uid);
          if (ref?.blockOwnerDeletion) blocking++;
          if (!dep.metadata?.deletionTimestamp) {
            const hasOwnDeps = [...(dependents.get(d) ?? [])].some(x =>
              current(x),
            );
            await deleteObject(
              graph.get(d) as GraphNode,
              d,
              hasOwnDeps ? 'Foreground' : 'Background',
            );
          }
        }
        if (blocking > 0) return 1000;
        await removeFinalizer(node, uid, FOREGROUND);
      }
      return undefined;
    }
    const owners = md.ownerReferences ?? [];
    if (!owners.length) return undefined;
    const states = await Promise.all(
      owners.map(o => ownerExists(o, md.namespace)),
    );
    if (states.some(s => s === undefined)) return 2500;
    const dangling = owners.filter((_, i) => states[i] === false);
    if (!dangling.length) return undefined;
    if (dangling.length === owners.length) {
      await deleteObject(node, uid, 'Background');
      return undefined;
    }
    const gone = new Set(dangling.map(o => o.uid));
    await rewrite(node, uid, o => ({
      ...o,
      metadata: {
        ...o.metadata,
        ownerReferences: (o.metadata?.ownerReferences ?? []).filter(
          r => !gone.has(r.uid),
        ),
      },
    }));
    return undefined;
  }

  async function sync(): Promise<void> {
    lastDiscovery = Date.now();
    const found = await discoverResources(rest, ['list', 'watch', 'delete']);
    const fresh: Informer<KubeObject>[] = [];
    for (const r of found) {
      resourcesByGroupKind.set(`${r.group}/${r.kind}`, r);
      if (monitored.has(idOf(r))) continue;
      const inf = ctx.informers.get<KubeObject>(r);
      monitored.set(idOf(r), inf);
      inf.addHandlers({
        add: o => observe(r, o, false),
        update: (_, o) => observe(r, o, false),
        delete: o => observe(r, o, true),
      });
      fresh.push(inf);
    }
    // A resource that cannot be listed (yet) must not hold the collector back: its informer keeps retrying.
    await Promise.race([
      Promise.all(fresh.map(i => i.start())),
      new Promise(r => setTimeout(r, 10_000).unref()),
    ]);
  }

  const ready = sync();
  const timer = setInterval(() => {
    if (!stopped)
      sync().catch(e =>
        ctx.log(
          'garbage-collector',
          `discovery failed: ${(e as Error).message}`,
        ),
      );
  }, REDISCOVER_MS);
  timer.unref();
  return {
    ready: ready.catch(e =>
      ctx.log('garbage-collector', `discovery failed: ${(e as Error).message}`),
    ),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
