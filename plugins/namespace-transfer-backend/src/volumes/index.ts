export { VolumesService } from './VolumesService';
export type { VolumesServiceOptions } from './VolumesService';
export { readClusterVolumes } from './readClusterVolumes';
export { collectNamespaceVolumes } from './collectVolumes';
