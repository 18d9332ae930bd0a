import type { V1IngressClass } from '@kubernetes/client-node';
import { resolveIngressClass } from './ingressClass';

const cls = (
  name: string,
  isDefault: string | undefined,
  created = '2024-01-01T00:00:00Z',
): V1IngressClass => ({
  metadata: {
    name,
    creationTimestamp: new Date(created),
    annotations:
      isDefault === undefined
        ? {}
        : { 'ingressclass.kubernetes.io/is-default-class': isDefault },
  },
  spec: { controller: 'k8s.io/ingress-nginx' },
});

const name = (c: V1IngressClass | undefined) => c?.metadata?.name;

describe('resolveIngressClass', () => {
  it('takes the named class, default or not, and nothing when it is missing', () => {
    const classes = [cls('a', 'true'), cls('b', undefined)];
    expect(name(resolveIngressClass(classes, 'b'))).toBe('b');
    expect(resolveIngressClass(classes, 'c')).toBeUndefined();
  });

  it('without a name takes the default; only exactly "true" marks one', () => {
    expect(
      name(
        resolveIngressClass([cls('a', 'True'), cls('b', 'true')], undefined),
      ),
    ).toBe('b');
    expect(
      resolveIngressClass([cls('a', 'yes'), cls('b', undefined)], undefined),
    ).toBeUndefined();
  });

  it('with several defaults takes the newest, then the lower name, like the admission plugin', () => {
    expect(
      name(
        resolveIngressClass(
          [
            cls('old', 'true', '2024-01-01T00:00:00Z'),
            cls('new', 'true', '2024-06-01T00:00:00Z'),
          ],
          undefined,
        ),
      ),
    ).toBe('new');
    expect(
      name(
        resolveIngressClass([cls('z', 'true'), cls('m', 'true')], undefined),
      ),
    ).toBe('m');
  });
});
