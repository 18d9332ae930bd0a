import {
  ApisApi,
  CoreV1Api,
  StorageV1Api,
  type KubeConfig,
  type V1StorageClass,
} from '@kubernetes/client-node';
import { withRetry, type RetryOptions } from './retry';

/** @public */
export const POD_SECURITY_LABELS = ['enforce', 'audit', 'warn'] as const;

/** @public */
export interface PodSecurityLevels {
  enforce?: string;
  audit?: string;
  warn?: string;
}

/**
 * What the engine asks of a cluster's API before planning.
 *
 * @public
 */
export class Discovery {
  private groupVersions?: Promise<Set<string>>;

  constructor(
    private readonly kc: KubeConfig,
    private readonly retry: RetryOptions = {},
  ) {}

  /** The served `group/version` strings of the named API groups (core `v1` is always served). */
  servedGroupVersions(): Promise<Set<string>> {
    this.groupVersions ??= withRetry(async () => {
      const list = await this.kc.makeApiClient(ApisApi).getAPIVersions();
      const set = new Set<string>(['v1']);
      for (const g of list.groups ?? [])
        for (const v of g.versions ?? []) set.add(v.groupVersion);
      return set;
    }, this.retry).catch(e => {
      this.groupVersions = undefined;
      throw e;
    });
    return this.groupVersions;
  }

  async isServed(groupVersion: string): Promise<boolean> {
    return (await this.servedGroupVersions()).has(groupVersion);
  }

  routeApiServed(): Promise<boolean> {
    return this.isServed('route.openshift.io/v1');
  }

  async storageClasses(): Promise<V1StorageClass[]> {
    const list = await withRetry(
      () => this.kc.makeApiClient(StorageV1Api).listStorageClass(),
      this.retry,
    );
    return list.items;
  }

  async podSecurity(namespace: string): Promise<PodSecurityLevels> {
    const ns = await withRetry(
      () => this.kc.makeApiClient(CoreV1Api).readNamespace({ name: namespace }),
      this.retry,
    );
    const labels = ns.metadata?.labels ?? {};
    const out: PodSecurityLevels = {};
    for (const mode of POD_SECURITY_LABELS) {
      const level = labels[`pod-security.kubernetes.io/${mode}`];
      if (level) out[mode] = level;
    }
    return out;
  }
}
