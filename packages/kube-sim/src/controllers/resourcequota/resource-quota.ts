import type { Stoppable } from '../../contracts';
import type { ControllerContext } from '../kube/context';
import { retryOnConflict } from '../../client/conflict';
import { discoverResources } from '../kube/discovery';
import { R, type ResourceRef } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import type { KubeObject as Base } from '../kube/types';
import {
  add,
  count,
  formatResourceList,
  mask,
  parseResourceList,
  type ResourceList,
} from '../../lib/quota/resourceList';
import { counts, usageOf } from '../../lib/quota/usage';

/** The resources whose objects the controller watches, so a deletion gives its charge back at once. */
// quotas and the objects they count are read as open documents
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KubeObject = Base & Record<string, any>;

const WATCHED = [
  R.pods,
  R.persistentvolumeclaims,
  R.services,
  R.secrets,
  R.configmaps,
  R.resourcequotas,
];

const keyOfRef = (r: ResourceRef) =>
  r.group ? `${r.plural}.${r.group}` : r.plural;

const isScoped = (q: KubeObject) =>
  !!(q.spec?.scopes?.length || q.spec?.scopeSelector?.matchExpressions?.length);

/**
 * The resource-quota controller: recomputes each quota's status.used from what its namespace holds and
 * sets status.hard to spec.hard. Admission charges a new object at once; this is what gives a charge
 * back when an object goes away or a pod finishes. Resources it does not watch (the count/<resource>
 * of other kinds) are recounted when the quota itself changes or is resynced. Scoped quotas are skipped.
 */
export function startResourceQuotaController(
  ctx: ControllerContext,
): Stoppable {
  const { rest } = ctx;
  let discovered: ResourceRef[] | undefined;

  async function refsFor(hardNames: string[]): Promise<ResourceRef[]> {
    const known = WATCHED.filter(r =>
      hardNames.some(n => counts(keyOfRef(r), n)),
    );
    const others = hardNames.filter(
      n => !known.some(r => counts(keyOfRef(r), n)),
    );
    if (!others.length) return known;
    // A new CRD may be served since the last look: rediscover when a name is not found.
    const find = () =>
      (discovered ?? []).filter(
        r => r.namespaced && others.some(n => counts(keyOfRef(r), n)),
      );
    if (find().length < others.length)
      discovered = await discoverResources(rest, ['list']);
    return [
      ...known,
      ...find().filter(r => !known.some(k => keyOfRef(k) === keyOfRef(r))),
    ];
  }

  async function usage(
    namespace: string,
    hard: ResourceList,
  ): Promise<ResourceList> {
    const names = Object.keys(hard);
    // every hard resource is reported, at zero when nothing uses it (the admission needs to see it)
    let used: ResourceList = Object.fromEntries(names.map(n => [n, count(0)]));
    for (const r of await refsFor(names)) {
      const list = await rest.list<KubeObject>(r, namespace);
      for (const item of list.items)
        used = add(used, usageOf(keyOfRef(r), item));
    }
    return mask(used, names);
  }

  async function syncQuota(namespace: string, name: string): Promise<void> {
    await retryOnConflict(async () => {
      let quota: KubeObject;
      try {
        quota = await rest.get<KubeObject>(R.resourcequotas, namespace, name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      if (isScoped(quota)) return;
      const hard = parseResourceList(quota.spec?.hard);
      const status = {
        hard: formatResourceList(hard),
        used: formatResourceList(await usage(namespace, hard)),
      };
      if (JSON.stringify(status) === JSON.stringify(quota.status ?? {})) return;
      await rest.updateStatus(R.resourcequotas, { ...quota, status });
    });
  }

  async function syncNamespace(namespace: string): Promise<void> {
    const quotas = await rest.list<KubeObject>(R.resourcequotas, namespace);
    for (const q of quotas.items)
      await syncQuota(namespace, q.metadata?.name as string);
  }

  const queue = ctx.queue('resourcequota', syncNamespace);
  const quotas = ctx.informers.get<KubeObject>(R.resourcequotas);
  const enqueue = (o: KubeObject) => {
    const ns = o.metadata?.namespace;
    if (ns && quotas.list(ns).length) queue.add(ns);
  };
  quotas.addHandlers({
    add: q => queue.add(q.metadata?.namespace as string),
    update: (_, q) => queue.add(q.metadata?.namespace as string),
  });
  for (const r of WATCHED.filter(w => w !== R.resourcequotas))
    ctx.informers.get<KubeObject>(r).addHandlers({
      add: enqueue,
      update: (_, o) => enqueue(o),
      delete: enqueue,
    });
  return { stop: async () => undefined };
}
