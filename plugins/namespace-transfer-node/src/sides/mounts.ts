import type { V1VolumeMount } from '@kubernetes/client-node';
import { ModuleSpec, PodLayout, VOLUME_NAMES, modulePath } from './types';

/** @public */
export function secretMount(layout: PodLayout): V1VolumeMount {
  return {
    name: VOLUME_NAMES.secret,
    mountPath: layout.secretDir,
    readOnly: true,
  };
}

/** @public */
export function configMount(layout: PodLayout): V1VolumeMount {
  return {
    name: VOLUME_NAMES.config,
    mountPath: layout.configDir,
    readOnly: true,
  };
}

/** @public */
export function scratchMount(layout: PodLayout): V1VolumeMount {
  return { name: VOLUME_NAMES.scratch, mountPath: layout.scratchDir };
}

/** @public */
export function dataMounts(
  layout: PodLayout,
  modules: ModuleSpec[],
  readOnly: boolean,
): V1VolumeMount[] {
  return modules.map(m => ({
    name: VOLUME_NAMES.data(m.name),
    mountPath: modulePath(layout, m),
    readOnly,
  }));
}

/**
 * The client's mover writes this when it is finished so that its transport sidecar exits too.
 *
 * @public
 */
export function doneMarker(layout: PodLayout): string {
  return `${layout.scratchDir}/done`;
}
