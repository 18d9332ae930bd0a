/**
 * The kinds one API server serves: the built-in descriptors, the OpenShift ones when asked, and the custom
 * resources of established CRDs, added and removed at run time.
 */
import { apiextensionsKinds } from './apiextensions';
import { appsKinds } from './apps';
import { authenticationKinds } from './authentication';
import { authorizationKinds } from './authorization';
import { batchKinds } from './batch';
import { coordinationKinds } from './coordination';
import { coreKinds } from './core';
import { discoveryKinds } from './discovery';
import { networkingKinds } from './networking';
import { openshiftKinds } from './openshift';
import { rbacKinds } from './rbac';
import { storageKinds } from './storage';
import { apiVersionOf, type KindDescriptor } from './types';

export * from './types';

export class Registry {
  private readonly byResource = new Map<string, KindDescriptor>();

  constructor(openshift: boolean) {
    const builtin = [
      ...coreKinds,
      ...appsKinds,
      ...batchKinds,
      ...storageKinds,
      ...networkingKinds,
      ...coordinationKinds,
      ...discoveryKinds,
      ...rbacKinds,
      ...authenticationKinds,
      ...authorizationKinds,
      ...apiextensionsKinds,
      ...(openshift ? openshiftKinds : []),
    ];
    for (const d of builtin) this.add(d);
  }

  private static key(group: string, version: string, plural: string): string {
    return `${group}/${version}/${plural}`;
  }

  add(d: KindDescriptor): void {
    this.byResource.set(Registry.key(d.group, d.version, d.plural), d);
  }

  remove(group: string, version: string, plural: string): void {
    this.byResource.delete(Registry.key(group, version, plural));
  }

  lookup(
    group: string,
    version: string,
    plural: string,
  ): KindDescriptor | undefined {
    return this.byResource.get(Registry.key(group, version, plural));
  }

  byKind(apiVersion: string, kind: string): KindDescriptor | undefined {
    return this.all().find(
      d => apiVersionOf(d) === apiVersion && d.kind === kind,
    );
  }

  /** The descriptor of a resource in any served version (RBAC and admission think in group + resource). */
  byGroupResource(group: string, plural: string): KindDescriptor | undefined {
    return this.all().find(d => d.group === group && d.plural === plural);
  }

  all(): KindDescriptor[] {
    return [...this.byResource.values()];
  }

  /** Served groups with their versions, core group first, in registration order. */
  groups(): { name: string; versions: string[] }[] {
    const out = new Map<string, string[]>();
    for (const d of this.all()) {
      const vs = out.get(d.group) ?? [];
      if (!vs.includes(d.version)) vs.push(d.version);
      out.set(d.group, vs);
    }
    return [...out.entries()].map(([name, versions]) => ({ name, versions }));
  }

  resources(group: string, version: string): KindDescriptor[] {
    return this.all().filter(d => d.group === group && d.version === version);
  }
}
