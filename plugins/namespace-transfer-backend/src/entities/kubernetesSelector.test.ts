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

  it.each([
    [
      {
        'backstage.io/kubernetes-id': 'x',
        'backstage.io/kubernetes-namespace': 'Payments',
      },
      /annotation 'backstage.io\/kubernetes-namespace' is "Payments", but a Kubernetes namespace is a DNS label/,
    ],
    [
      {
        'backstage.io/kubernetes-id': 'x',
        'backstage.io/kubernetes-namespace': '../kube-system',
      },
      /kubernetes-namespace' is "..\/kube-system"/,
    ],
    [
      { 'backstage.io/kubernetes-id': 'a,b' },
      /annotation 'backstage.io\/kubernetes-id' is "a,b", but it is matched as a label value and a label value is/,
    ],
    [
      { 'backstage.io/kubernetes-id': 'pay\u0000ments' },
      /kubernetes-id' is "pay\\u0000ments"/,
    ],
    [
      { 'backstage.io/kubernetes-label-selector': 'app in (a' },
      /annotation 'backstage.io\/kubernetes-label-selector' is not a Kubernetes label selector: found the end/,
    ],
  ])(
    'refuses a broken annotation with a 400 naming it and the rule',
    (annotations, message) => {
      expect(() => entityKubernetesSelector(entity(annotations))).toThrow(
        InputError,
      );
      expect(() => entityKubernetesSelector(entity(annotations))).toThrow(
        message,
      );
    },
  );
});
