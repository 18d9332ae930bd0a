import type { V1Ingress, V1ServiceBackendPort } from '@kubernetes/client-node';

/** Test support: an Ingress with one host whose every path ("/", Prefix) goes to one Service port. */
export function hostIngress(o: {
  name: string;
  host: string;
  service: string;
  port: V1ServiceBackendPort;
  namespace?: string;
  uid?: string;
  className?: string;
  annotations?: Record<string, string>;
}): V1Ingress {
  return {
    metadata: {
      name: o.name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.uid ? { uid: o.uid } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      ingressClassName: o.className,
      rules: [
        {
          host: o.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: o.service, port: o.port } },
              },
            ],
          },
        },
      ],
    },
  };
}
