import type { V1Service } from '@kubernetes/client-node';
import type { EndpointContext } from './types';

export const PORT_NAME = 'transfer';

export function transferService(
  ctx: EndpointContext,
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer',
): V1Service {
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ctx.name, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      type,
      selector: ctx.selector,
      // by name, so the Service follows the pod's port whatever number it has
      ports: [
        {
          name: PORT_NAME,
          port: ctx.targetPort,
          targetPort: PORT_NAME,
          protocol: 'TCP',
        },
      ],
    },
  };
  return service;
}

export function servicePort(service: V1Service | undefined) {
  return (
    service?.spec?.ports?.find(p => p.name === PORT_NAME) ??
    service?.spec?.ports?.[0]
  );
}
