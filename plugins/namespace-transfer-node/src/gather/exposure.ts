import type { V1IngressClass, V1Node } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { nodeAddress, selectEndpoint, type EndpointFacts } from '../endpoint';

/** Reads of the destination; undefined means unknown (forbidden or not served). */
export interface ExposureReads {
  nodes(): Promise<V1Node[] | undefined>;
  ingressClasses(): Promise<V1IngressClass[] | undefined>;
}

/**
 * Adds what decides whether an exposure can ever get an address (Ready nodes with one for node ports,
 * the ingress class for an ingress), read only when the selection would land on that exposure: a
 * namespace-scoped identity cannot read either, and an unneeded read would only add a warning.
 */
export async function withExposureFacts(
  spec: TransferSpec,
  base: EndpointFacts,
  reads: ExposureReads,
): Promise<EndpointFacts> {
  if (spec.mode === 'rebind') return base;
  const choice = spec.options?.endpoint ?? 'auto';
  let facts = base;
  let nodesRead = false;
  let classesRead = false;
  // each round learns one fact the current choice depends on; a refuted choice moves auto to the next
  for (;;) {
    const sel = selectEndpoint(choice, facts);
    if (sel.kind === 'ingress' && !classesRead) {
      classesRead = true;
      facts = { ...facts, ingressClasses: await reads.ingressClasses() };
    } else if (sel.kind === 'nodeport' && !nodesRead) {
      nodesRead = true;
      const nodes = await reads.nodes();
      facts = {
        ...facts,
        nodePortReachable: nodes ? nodeAddress(nodes) !== undefined : undefined,
      };
    } else {
      return facts;
    }
  }
}
