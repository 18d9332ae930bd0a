import type { ResourceRef } from './resources';
import type { RestClient } from './rest';

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}
interface ApiResourceList {
  groupVersion: string;
  resources: ApiResource[];
}
interface ApiGroupList {
  groups: Array<{
    name: string;
    preferredVersion?: { groupVersion: string };
    versions: Array<{ groupVersion: string }>;
  }>;
}

/**
 * Every top-level resource the API server serves in its preferred version, read from the discovery API
 * so that custom resources are found as soon as their CRD is served.
 */
export async function discoverResources(
  rest: RestClient,
  requiredVerbs: string[],
): Promise<ResourceRef[]> {
  const lists: ApiResourceList[] = [
    await rest.request<ApiResourceList>('GET', '/api/v1'),
  ];
  const groups = await rest.request<ApiGroupList>('GET', '/apis');
  const results = await Promise.allSettled(
    groups.groups.map(g =>
      rest.request<ApiResourceList>(
        'GET',
        `/apis/${g.preferredVersion?.groupVersion ?? g.versions[0]?.groupVersion}`,
      ),
    ),
  );
  for (const r of results) if (r.status === 'fulfilled') lists.push(r.value);
  const out: ResourceRef[] = [];
  for (const list of lists) {
    const [group, version] = list.groupVersion.includes('/')
      ? list.groupVersion.split('/')
      : ['', list.groupVersion];
    for (const res of list.resources ?? []) {
      if (res.name.includes('/')) continue;
      if (!requiredVerbs.every(v => res.verbs?.includes(v))) continue;
      out.push({
        group,
        version,
        plural: res.name,
        kind: res.kind,
        namespaced: res.namespaced,
      });
    }
  }
  return out;
}
