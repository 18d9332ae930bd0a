import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { discoverResources } from '../kube/discovery';
import { R, resourcePath } from '../kube/resources';
import { ApiError, isNotFound } from '../kube/rest';
import { keyOf, nowIso, type KubeObject, type Namespace } from '../kube/types';
import { setCondition } from '../workloads/pods';

const FINALIZER = 'kubernetes';

/**
 * The namespace controller: once a namespace is Terminating, every namespaced object in it is deleted
 * (found through discovery, custom resources included); when none is left its `kubernetes` finalizer is
 * removed through the namespaces/{name}/finalize subresource, which lets the API server delete it.
 */
export function startNamespaceController(ctx: ControllerContext): Stoppable {
  const { rest } = ctx;
  const namespaces = ctx.informers.get<Namespace>(R.namespaces);
  let finalizeUnsupported = false;

  async function setContentCondition(
    ns: Namespace,
    remaining: number,
    resources: string[],
  ): Promise<void> {
    const status = remaining
      ? {
          type: 'NamespaceContentRemaining',
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: `Some resources are remaining: ${resources.join(', ')}`,
        }
      : {
          type: 'NamespaceContentRemaining',
          status: 'False',
          reason: 'ContentRemoved',
          message: 'All content successfully removed',
        };
    const conditions = setCondition(ns.status?.conditions, status, nowIso());
    if (
      JSON.stringify(conditions) === JSON.stringify(ns.status?.conditions ?? [])
    )
      return;
    await retryOnConflict(async () => {
      const live = await rest.get<Namespace>(
        R.namespaces,
        undefined,
        ns.metadata?.name as string,
      );
      return rest.updateStatus(R.namespaces, {
        ...live,
        status: {
          ...live.status,
          conditions: setCondition(live.status?.conditions, status, nowIso()),
        },
      });
    }).catch(() => undefined);
  }

  async function sync(name: string): Promise<number | undefined> {
    const ns = namespaces.getByName(undefined, name);
    if (
      !ns?.metadata?.deletionTimestamp ||
      !(ns.spec?.finalizers ?? []).includes(FINALIZER)
    )
      return undefined;
    const resources = (
      await discoverResources(rest, ['list', 'delete'])
    ).filter(r => r.namespaced);
    let remaining = 0;
    const left: string[] = [];
    for (const r of resources) {
      let items: KubeObject[];
      try {
        items = (await rest.list<KubeObject>(r, name)).items;
      } catch (e) {
        if (e instanceof ApiError && (e.code === 404 || e.code === 405))
          continue;
        throw e;
      }
      if (!items.length) continue;
      remaining += items.length;
      left.push(
        `${r.plural}${r.group ? `.${r.group}` : ''} has ${items.length} resource instances`,
      );
      for (const o of items) {
        if (o.metadata?.deletionTimestamp) continue;
        await rest
          .request(
            'DELETE',
            resourcePath(r, name, o.metadata?.name as string),
            {
              body: {
                apiVersion: 'v1',
                kind: 'DeleteOptions',
                preconditions: { uid: o.metadata?.uid },
                propagationPolicy: 'Background',
              },
            },
          )
          .catch(e =>
            isNotFound(e) || (e instanceof ApiError && e.code === 409)
              ? undefined
              : Promise.reject(e),
          );
      }
    }
    await setContentCondition(ns, remaining, left);
    // Objects with finalizers or graceful deletion (pods) take a while: look again soon.
    if (remaining) return 1000;
    if (finalizeUnsupported) return undefined;
    try {
      await retryOnConflict(async () => {
        const live = await rest.get<Namespace>(R.namespaces, undefined, name);
        const finalizers = (live.spec?.finalizers ?? []).filter(
          f => f !== FINALIZER,
        );
        return rest.request(
          'PUT',
          resourcePath(R.namespaces, undefined, name, 'finalize'),
          {
            body: {
              ...live,
              apiVersion: 'v1',
              kind: 'Namespace',
              spec: { ...live.spec, finalizers },
            },
          },
        );
      });
    } catch (e) {
      if (isNotFound(e)) {
        // Either the namespace is gone, or the API server does not serve /finalize: then nothing can be done.
        const still = await rest.get(R.namespaces, undefined, name).then(
          () => true,
          () => false,
        );
        if (still) {
          finalizeUnsupported = true;
          ctx.log(
            'namespace-controller',
            'the API server does not serve namespaces/{name}/finalize',
          );
        }
        return undefined;
      }
      throw e;
    }
    return undefined;
  }

  const queue = ctx.queue('namespace', sync, 2);
  namespaces.addHandlers({
    add: n => queue.add(keyOf(n)),
    update: (_, n) => queue.add(keyOf(n)),
  });
  return { stop: async () => undefined };
}
