import type { V1StorageClass } from '@kubernetes/client-node';
import { DEFAULT_CLASS_ANNOTATION } from './refusals';

/** @public */
export function defaultStorageClass(
  classes: V1StorageClass[],
): V1StorageClass | undefined {
  return classes.find(
    c => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  );
}

/**
 * The destination's storage class: the requested one, else the source's class name when the destination
 * has a class of that name, else the destination's default class.
 *
 * @public
 */
export function mapStorageClass(
  requested: string | undefined,
  sourceClass: string | undefined,
  destinationClasses: V1StorageClass[],
): { name?: string; found: boolean; how: string } {
  const byName = (n: string) =>
    destinationClasses.find(c => c.metadata?.name === n);
  if (requested)
    return { name: requested, found: !!byName(requested), how: 'requested' };
  if (sourceClass && byName(sourceClass))
    return { name: sourceClass, found: true, how: 'same name as the source' };
  const def = defaultStorageClass(destinationClasses);
  if (def)
    return {
      name: def.metadata!.name,
      found: true,
      how: 'the destination default class',
    };
  return {
    name: sourceClass,
    found: false,
    how: 'no class of that name and no default class',
  };
}
