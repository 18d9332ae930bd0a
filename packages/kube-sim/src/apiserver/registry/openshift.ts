/** The OpenShift kinds a cluster serves when started OpenShift-flavoured: Route and DeploymentConfig. */
import { defaultPodTemplate, podSpecMergeKeys } from './podspec';
import type { KindDescriptor, KObject } from './types';
import { type FieldError, invalid, notSupported, required } from '../errors';
import { validatePodSpec } from '../validation/podspec';

const route: KindDescriptor = {
  group: 'route.openshift.io',
  version: 'v1',
  kind: 'Route',
  plural: 'routes',
  singular: 'route',
  namespaced: true,
  statusSubresource: true,
  initialStatus: () => ({}),
  defaulter: (r, ctx) => {
    r.spec ??= {};
    // The route admission controller fills the host from the router's domain when it is left empty.
    if (!r.spec.host)
      r.spec.host = `${r.metadata.name}-${r.metadata.namespace}.${ctx.routeDomain}`;
    r.spec.wildcardPolicy ??= 'None';
    if (r.spec.to) {
      r.spec.to.kind ??= 'Service';
      r.spec.to.weight ??= 100;
    }
  },
  validate: r => {
    const errs: FieldError[] = [];
    if (!r.spec?.to?.name) errs.push(required('spec.to.name'));
    if (r.spec?.to?.kind && r.spec.to.kind !== 'Service')
      errs.push(notSupported('spec.to.kind', r.spec.to.kind, ['Service']));
    const term = r.spec?.tls?.termination;
    if (r.spec?.tls && !['edge', 'passthrough', 'reencrypt'].includes(term))
      errs.push(
        notSupported('spec.tls.termination', term ?? '', [
          'edge',
          'passthrough',
          'reencrypt',
        ]),
      );
    if (term === 'passthrough' && (r.spec?.path ?? '') !== '')
      errs.push(
        invalid(
          'spec.path',
          r.spec.path,
          'passthrough termination does not support paths',
        ),
      );
    return errs;
  },
  validateUpdate: (r, old) =>
    r.spec?.host !== old.spec?.host
      ? [invalid('spec.host', r.spec?.host, 'field is immutable')]
      : [],
};

const deploymentConfig: KindDescriptor = {
  group: 'apps.openshift.io',
  version: 'v1',
  kind: 'DeploymentConfig',
  plural: 'deploymentconfigs',
  singular: 'deploymentconfig',
  namespaced: true,
  shortNames: ['dc'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  scale: {
    specReplicasPath: 'spec.replicas',
    statusReplicasPath: 'status.replicas',
    labelSelectorPath: 'spec.selector',
  },
  initialStatus: () => ({
    latestVersion: 0,
    observedGeneration: 0,
    replicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: 0,
  }),
  mergeKeys: podSpecMergeKeys('spec.template.spec'),
  defaulter: dc => {
    dc.spec ??= {};
    dc.spec.replicas ??= 1;
    dc.spec.strategy ??= { type: 'Rolling' };
    dc.spec.triggers ??= [{ type: 'ConfigChange' }];
    dc.spec.revisionHistoryLimit ??= 10;
    if (dc.spec.template && !dc.spec.selector)
      dc.spec.selector = { ...(dc.spec.template.metadata?.labels ?? {}) };
    defaultPodTemplate(dc.spec.template);
  },
  validate: dc => {
    const errs: FieldError[] = [];
    const spec: KObject = dc.spec ?? {};
    if (!spec.template) errs.push(required('spec.template'));
    else
      errs.push(
        ...validatePodSpec(spec.template.spec, 'spec.template.spec', [
          'Always',
        ]),
      );
    if (
      spec.replicas !== undefined &&
      (!Number.isInteger(spec.replicas) || spec.replicas < 0)
    )
      errs.push(
        invalid('spec.replicas', spec.replicas, 'replicas cannot be negative'),
      );
    const labels = spec.template?.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(spec.selector ?? {}))
      if (labels[k] !== v)
        errs.push(
          invalid(
            'spec.template.metadata.labels',
            labels,
            '`selector` does not match template `labels`',
          ),
        );
    return errs;
  },
};

export const openshiftKinds: KindDescriptor[] = [route, deploymentConfig];
