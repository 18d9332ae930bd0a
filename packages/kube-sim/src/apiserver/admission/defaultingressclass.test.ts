import { Registry } from '../registry';
import type { KObject } from '../registry/types';
import { Store } from '../store';
import {
  DEFAULT_INGRESS_CLASS_ANNOTATION,
  defaultIngressClass,
} from './defaultingressclass';

const registry = new Registry(false);
const ingressKind = registry.lookup('networking.k8s.io', 'v1', 'ingresses')!;
const claimKind = registry.lookup('', 'v1', 'persistentvolumeclaims')!;

function storeWith(
  ...classes: [name: string, created: string, isDefault: string | undefined][]
): Store {
  const store = new Store();
  for (const [name, creationTimestamp, isDefault] of classes)
    store.create('ingressclasses.networking.k8s.io', {
      metadata: {
        name,
        creationTimestamp,
        annotations:
          isDefault === undefined
            ? {}
            : { [DEFAULT_INGRESS_CLASS_ANNOTATION]: isDefault },
      },
      spec: { controller: `example.com/${name}` },
    });
  return store;
}

function admit(store: Store, ingress: KObject, kind = ingressKind): KObject {
  defaultIngressClass(store).admitCreate!(kind, ingress, { dryRun: false });
  return ingress;
}

const bare = (annotations: Record<string, string> = {}): KObject => ({
  metadata: { name: 'web', namespace: 'ns', annotations },
  spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } },
});

describe('DefaultIngressClass admission', () => {
  it('gives a classless Ingress the class annotated as default', () => {
    const store = storeWith(
      ['other', '2026-01-01T00:00:00Z', undefined],
      ['nginx', '2026-01-01T00:00:00Z', 'true'],
      // only the exact value "true" marks a default
      ['shouty', '2026-03-01T00:00:00Z', 'True'],
    );
    expect(admit(store, bare()).spec.ingressClassName).toBe('nginx');
  });

  it('picks the newest default, then the first name, when several are default', () => {
    const store = storeWith(
      ['old', '2026-01-01T00:00:00Z', 'true'],
      ['new-b', '2026-02-01T00:00:00Z', 'true'],
      ['new-a', '2026-02-01T00:00:00Z', 'true'],
    );
    expect(admit(store, bare()).spec.ingressClassName).toBe('new-a');
  });

  it('leaves a chosen class alone, by field or by the legacy annotation', () => {
    const store = storeWith(['nginx', '2026-01-01T00:00:00Z', 'true']);
    const named = bare();
    named.spec.ingressClassName = 'traefik';
    expect(admit(store, named).spec.ingressClassName).toBe('traefik');
    const annotated = admit(store, bare({ 'kubernetes.io/ingress.class': '' }));
    expect(annotated.spec.ingressClassName).toBeUndefined();
  });

  it('does nothing without a default class or for other kinds', () => {
    expect(
      admit(storeWith(['nginx', '2026-01-01T00:00:00Z', 'false']), bare()).spec
        .ingressClassName,
    ).toBeUndefined();
    const claim = admit(
      storeWith(['nginx', '2026-01-01T00:00:00Z', 'true']),
      { metadata: { name: 'c', namespace: 'ns' }, spec: {} },
      claimKind,
    );
    expect(claim.spec.ingressClassName).toBeUndefined();
  });
});
