/**
 * DefaultIngressClass admission: an Ingress created with neither spec.ingressClassName nor the legacy
 * kubernetes.io/ingress.class annotation gets the class annotated
 * ingressclass.kubernetes.io/is-default-class=true. With several defaults the newest wins (ties: the
 * first name), as current kube-apiservers do; older ones refused the Ingress instead.
 */
import type { AdmissionPlugin } from '.';
import { INGRESS_CLASS_ANNOTATION } from '../registry/networking';
import type { Store } from '../store';
import { newestDefault } from './newestDefault';

export const DEFAULT_INGRESS_CLASS_ANNOTATION =
  'ingressclass.kubernetes.io/is-default-class';

export function defaultIngressClass(store: Store): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.group !== 'networking.k8s.io' || d.kind !== 'Ingress') return;
      obj.spec ??= {};
      if (
        obj.spec.ingressClassName !== undefined &&
        obj.spec.ingressClassName !== null
      )
        return;
      // the annotation's presence counts, whatever its value: it is a class choice the plugin leaves alone
      if (obj.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined)
        return;
      const def = newestDefault(store, 'ingressclasses.networking.k8s.io', [
        DEFAULT_INGRESS_CLASS_ANNOTATION,
      ]);
      if (def) obj.spec.ingressClassName = def.metadata.name;
    },
  };
}
