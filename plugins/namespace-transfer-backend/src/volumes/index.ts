export { DEFAULT_VOLUMES_CACHE_TTL_MS, VolumesService } from './VolumesService';
export type { VolumesServiceOptions } from './VolumesService';
export { readClusterVolumes } from './readClusterVolumes';
export { collectNamespaceVolumes } from './collectVolumes';
