import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { entityKubernetesSelector } from './kubernetesSelector';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-db', namespace: 'default', annotations },
  spec: {},
});

describe('entityKubernetesSelector', () => {
  it('turns kubernetes-id into a label selector and keeps the namespace', () => {
    expect(
      entityKubernetesSelector(
        entity({
          'backstage.io/kubernetes-id': 'payments-db',
          'backstage.io/kubernetes-namespace': 'payments',
        }),
      ),
    ).toEqual({
      labelSelector: 'backstage.io/kubernetes-id=payments-db',
      namespace: 'payments',
    });
  });

  it('prefers an explicit label selector', () => {
    expect(
      entityKubernetesSelector(
        entity({
          'backstage.io/kubernetes-id': 'x',
          'backstage.io/kubernetes-label-selector': 'app in (a,b)',
        }),
      ),
    ).toEqual({ labelSelector: 'app in (a,b)', namespace: undefined });
  });

  it('refuses an entity without annotations, naming the annotation to add', () => {
    expect(() => entityKubernetesSelector(entity({}))).toThrow(InputError);
    expect(() => entityKubernetesSelector(entity({}))).toThrow(
      /backstage\.io\/kubernetes-id/,
    );
  });

  it('ignores a namespace annotation alone', () => {
    expect(() =>
      entityKubernetesSelector(
        entity({ 'backstage.io/kubernetes-namespace': 'payments' }),
      ),
    ).toThrow(/component:default\/payments-db has no Kubernetes annotation/);
  });
});
