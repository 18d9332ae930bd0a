import {
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1ConfigMap,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1PodStatus,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import type { EnvSources } from './env/containerEnv';
import type { VolumeSources } from './volumes/prepare';
import { httpStatusOf } from '../client/errors';

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (httpStatusOf(e) === 404) return undefined;
    throw e;
  }
}

/** The kubelet's reads and writes, all through the public core/v1 API. */
export class KubeletApi implements EnvSources, VolumeSources {
  readonly core: CoreV1Api;

  constructor(readonly kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  configMap(namespace: string, name: string): Promise<V1ConfigMap | undefined> {
    return orUndefined(this.core.readNamespacedConfigMap({ namespace, name }));
  }

  secret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return orUndefined(this.core.readNamespacedSecret({ namespace, name }));
  }

  async services(namespace: string): Promise<V1Service[]> {
    return (await this.core.listNamespacedService({ namespace })).items;
  }

  masterService(): Promise<V1Service | undefined> {
    return orUndefined(
      this.core.readNamespacedService({
        namespace: 'default',
        name: 'kubernetes',
      }),
    );
  }

  pvc(
    namespace: string,
    name: string,
  ): Promise<V1PersistentVolumeClaim | undefined> {
    return orUndefined(
      this.core.readNamespacedPersistentVolumeClaim({ namespace, name }),
    );
  }

  pv(name: string): Promise<V1PersistentVolume | undefined> {
    return orUndefined(this.core.readPersistentVolume({ name }));
  }

  /**
   * Writes pods/status with a merge patch carrying the uid, so a status for an old incarnation of a pod
   * with the same name is never applied to its successor.
   */
  async patchPodStatus(
    namespace: string,
    name: string,
    uid: string,
    status: V1PodStatus,
  ): Promise<void> {
    await this.core.patchNamespacedPodStatus(
      { namespace, name, body: { metadata: { uid }, status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /** The status manager's final delete: grace 0, only if the uid is still the one we ran. */
  async deletePod(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({
        namespace,
        name,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid } },
      });
    } catch (e) {
      if (httpStatusOf(e) !== 404 && httpStatusOf(e) !== 409) throw e;
    }
  }
}
