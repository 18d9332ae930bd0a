import type { V1IngressClass } from '@kubernetes/client-node';

/** @public */
export const DEFAULT_INGRESS_CLASS_ANNOTATION =
  'ingressclass.kubernetes.io/is-default-class';
/**
 * The controller whose ssl-passthrough annotation the ingress endpoint relies on.
 *
 * @public
 */
export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

const isDefault = (c: V1IngressClass) =>
  c.metadata?.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true';

const created = (c: V1IngressClass) =>
  new Date(c.metadata?.creationTimestamp ?? 0).getTime();

const byName = (a: V1IngressClass, b: V1IngressClass) => {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  if (x === y) return 0;
  return x < y ? -1 : 1;
};

/**
 * The class the engine's Ingress ends up with: the named one, else the one the API server's
 * DefaultIngressClass admission plugin fills in. Only the exact value "true" marks a default; with
 * several, Kubernetes 1.25+ takes the newest, ties broken by the lower name. Without either the Ingress
 * has no class, and controllers leave unclassed Ingresses alone unless told otherwise.
 *
 * @public
 */
export function resolveIngressClass(
  classes: V1IngressClass[],
  requested: string | undefined,
): V1IngressClass | undefined {
  if (requested) return classes.find(c => c.metadata?.name === requested);
  return classes
    .filter(isDefault)
    .sort((a, b) => created(b) - created(a) || byName(a, b))[0];
}
