import type { V1Ingress, V1IngressClass } from '@kubernetes/client-node';

/** ingress-nginx's `--controller-class` default: the IngressClasses it implements name this controller. */
export const NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
/** ingress-nginx's `--ingress-class` default: the legacy annotation value it accepts. */
export const NGINX_ANNOTATION_VALUE = 'nginx';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * Whether ingress-nginx with its default flags (`--watch-ingress-without-class=false`) serves this
 * Ingress, as its store's GetIngressClass decides: spec.ingressClassName must name an existing class of
 * our controller; without it, the legacy annotation must equal the --ingress-class value (no
 * IngressClass lookup); an Ingress with neither is someone else's.
 */
export function servedByNginx(
  ingress: V1Ingress,
  classes: V1IngressClass[],
): boolean {
  const className = ingress.spec?.ingressClassName;
  if (className !== undefined && className !== null)
    return classes.some(
      c =>
        c.metadata?.name === className &&
        c.spec?.controller === NGINX_CONTROLLER,
    );
  const annotation = ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  return annotation === NGINX_ANNOTATION_VALUE;
}
