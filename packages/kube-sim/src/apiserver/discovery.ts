/** Discovery documents: /version, /api, /apis, group and resource lists, shaped as the real server's. */
import { resourceNotFound } from './errors';
import type { Registry } from './registry';
import { ALL_VERBS, type KindDescriptor } from './registry/types';

export const SERVER_VERSION = {
  major: '1',
  minor: '28',
  gitVersion: 'v1.28.0-kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2023-08-15T00:00:00Z',
  goVersion: 'go1.20.7',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface SubresourceDoc {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

/** The subresources of a kind as discovery lists them, with the kind each one speaks. */
function subresources(d: KindDescriptor): SubresourceDoc[] {
  const out: SubresourceDoc[] = [];
  if (d.statusSubresource)
    out.push({
      name: 'status',
      kind: d.kind,
      verbs: ['get', 'patch', 'update'],
    });
  if (d.scale)
    out.push({
      name: 'scale',
      kind: 'Scale',
      group: 'autoscaling',
      version: 'v1',
      verbs: ['get', 'patch', 'update'],
    });
  for (const s of d.extraSubresources ?? []) {
    if (s === 'binding')
      out.push({ name: s, kind: 'Binding', verbs: ['create'] });
    if (s === 'log') out.push({ name: s, kind: 'Pod', verbs: ['get'] });
    if (s === 'eviction')
      out.push({
        name: s,
        kind: 'Eviction',
        group: 'policy',
        version: 'v1',
        verbs: ['create'],
      });
    if (s === 'finalize')
      out.push({ name: s, kind: d.kind, verbs: ['update'] });
    if (s === 'token')
      out.push({
        name: s,
        kind: 'TokenRequest',
        group: 'authentication.k8s.io',
        version: 'v1',
        verbs: ['create'],
      });
  }
  return out;
}

export function resourceList(
  registry: Registry,
  group: string,
  version: string,
) {
  const kinds = registry.resources(group, version);
  if (!kinds.length) throw resourceNotFound();
  const resources: Record<string, unknown>[] = [];
  for (const d of [...kinds].sort((a, b) => a.plural.localeCompare(b.plural))) {
    const r: Record<string, unknown> = {
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs ?? ALL_VERBS,
    };
    if (d.shortNames?.length) r.shortNames = d.shortNames;
    if (d.categories?.length) r.categories = d.categories;
    resources.push(r);
    for (const s of subresources(d)) {
      const sr: Record<string, unknown> = {
        name: `${d.plural}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      };
      if (s.group) sr.group = s.group;
      if (s.version) sr.version = s.version;
      resources.push(sr);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function groupDoc(name: string, versions: string[]) {
  const vs = versions.map(v => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(registry: Registry) {
  const groups = registry.groups().filter(g => g.name !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(g => groupDoc(g.name, g.versions)),
  };
}

export function apiGroup(registry: Registry, name: string) {
  const g = registry.groups().find(x => x.name === name);
  if (!g) throw resourceNotFound();
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupDoc(g.name, g.versions),
  };
}
