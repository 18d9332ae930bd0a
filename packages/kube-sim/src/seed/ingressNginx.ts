import { NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';

/**
 * What installing ingress-nginx's Helm chart with `controller.ingressClassResource.default=true` adds to
 * a cluster: the `nginx` IngressClass. A real API server has no IngressClass of its own, so kube-sim's
 * router (an ingress-nginx stand-in) gets its class the way a cluster gets one: from its installer.
 */
export function ingressNginxClassObject() {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: 'nginx',
      labels: {
        'app.kubernetes.io/component': 'controller',
        'app.kubernetes.io/instance': 'ingress-nginx',
        'app.kubernetes.io/name': 'ingress-nginx',
        'app.kubernetes.io/part-of': 'ingress-nginx',
      },
      // Ingresses without a class get this one through DefaultIngressClass admission.
      annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  };
}

/** Creates the `nginx` IngressClass; one that exists already (a re-run, an earlier install) is kept. */
export async function installIngressNginxClass(kc: KubeConfig): Promise<void> {
  await kc
    .makeApiClient(NetworkingV1Api)
    .createIngressClass({ body: ingressNginxClassObject() })
    .catch((e: any) => {
      if (e?.code !== 409) throw e;
    });
}
