import { V1PodSpec } from '@kubernetes/client-node';

/**
 * The PVC names a pod spec mounts. A generic ephemeral volume is a PVC too: the ephemeral volume
 * controller names it `<pod>-<volume>`, so it is only known for a pod, not for a template.
 */
export function claimsOfPodSpec(
  spec: V1PodSpec | undefined,
  podName?: string,
): string[] {
  const claims: string[] = [];
  for (const volume of spec?.volumes ?? []) {
    if (volume.persistentVolumeClaim?.claimName) {
      claims.push(volume.persistentVolumeClaim.claimName);
    } else if (volume.ephemeral && podName) {
      claims.push(`${podName}-${volume.name}`);
    }
  }
  return claims;
}

/** Whether `claimName` is one of the PVCs a StatefulSet's volumeClaimTemplate creates. */
export function isStatefulSetClaim(
  claimName: string,
  template: string,
  statefulSet: string,
): boolean {
  const prefix = `${template}-${statefulSet}-`;
  return (
    claimName.startsWith(prefix) && /^\d+$/.test(claimName.slice(prefix.length))
  );
}
