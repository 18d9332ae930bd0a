import {
  Entity,
  KubernetesValidatorFunctions,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { EntityKubernetesSelector } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  LABEL_VALUE_RULE,
  LabelSelectorSyntaxError,
  parseLabelSelector,
} from './labelSelector';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

export const NAMESPACE_RULE =
  "a Kubernetes namespace is a DNS label: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit";

/**
 * Finds an entity's Kubernetes resources by the rules of Backstage's Kubernetes plugin: an explicit label
 * selector wins, else the kubernetes-id becomes `backstage.io/kubernetes-id=<id>`; the namespace annotation
 * narrows the search. Unlike the Kubernetes plugin we do not fall back to the entity name: volumes are
 * about to be moved, so they must be claimed explicitly. Each annotation is checked against Kubernetes'
 * own rules (a namespace is a DNS label, the id a label value, the selector the API server's syntax), so
 * a broken annotation is a 400 naming the annotation and the rule, not a request the cluster refuses.
 */
export function entityKubernetesSelector(
  entity: Entity,
): EntityKubernetesSelector {
  const annotations = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const explicit = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || undefined;
  if (
    namespace !== undefined &&
    !KubernetesValidatorFunctions.isValidNamespace(namespace)
  ) {
    throw new InputError(
      `Entity ${ref}: annotation '${KUBERNETES_NAMESPACE_ANNOTATION}' is ${JSON.stringify(namespace)}, but ${NAMESPACE_RULE}`,
    );
  }
  if (explicit) {
    try {
      parseLabelSelector(explicit);
    } catch (error) {
      if (!(error instanceof LabelSelectorSyntaxError)) throw error;
      throw new InputError(
        `Entity ${ref}: annotation '${KUBERNETES_LABEL_SELECTOR_ANNOTATION}' is not a Kubernetes label selector: ${error.message}`,
      );
    }
    return { labelSelector: explicit, namespace };
  }
  if (id) {
    if (!KubernetesValidatorFunctions.isValidLabelValue(id)) {
      throw new InputError(
        `Entity ${ref}: annotation '${KUBERNETES_ID_ANNOTATION}' is ${JSON.stringify(id)}, but it is matched as a label value and ${LABEL_VALUE_RULE}`,
      );
    }
    return { labelSelector: `${KUBERNETES_ID_ANNOTATION}=${id}`, namespace };
  }
  throw new InputError(
    `Entity ${ref} has no Kubernetes annotation. Add metadata.annotations['${KUBERNETES_ID_ANNOTATION}'] ` +
      `(and label its Kubernetes resources ${KUBERNETES_ID_ANNOTATION}=<id>) or '${KUBERNETES_LABEL_SELECTOR_ANNOTATION}'; ` +
      `'${KUBERNETES_NAMESPACE_ANNOTATION}' narrows the search to one namespace.`,
  );
}
