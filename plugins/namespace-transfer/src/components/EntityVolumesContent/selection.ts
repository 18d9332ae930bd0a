import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';

/** A claim within one cluster's table. */
export const claimKey = (v: Pick<Volume, 'namespace' | 'name'>) =>
  `${v.namespace}/${v.name}`;

export const isTransferable = (v: Volume) => v.transferable.transferable;

/** The namespaces of the chosen claims, each once, in order. */
export function namespacesOf(volumes: Volume[]): string[] {
  return [...new Set(volumes.map(v => v.namespace))];
}

/**
 * What "Transfer selected" requests: the chosen claims when they share a namespace (a batch is one
 * namespace's), else why not.
 */
export function batchOf(
  cluster: string,
  chosen: Volume[],
): { cluster: string; namespace: string; claims: string[] } | { why: string } {
  if (chosen.length === 0) return { why: 'Select claims to transfer.' };
  const namespaces = namespacesOf(chosen);
  if (namespaces.length > 1)
    return {
      why: `A batch is one namespace's claims; the selection spans ${namespaces.join(', ')}.`,
    };
  return {
    cluster,
    namespace: namespaces[0],
    claims: chosen.map(v => v.name),
  };
}
