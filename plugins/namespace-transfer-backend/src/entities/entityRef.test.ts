import { InputError } from '@backstage/errors';
import { checkEntityRef, checkEntityRefPart } from './entityRef';

describe('entity references by the catalog rules', () => {
  it('passes a reference the catalog accepts, unchanged', () => {
    expect(checkEntityRef('component:default/payments-db')).toBe(
      'component:default/payments-db',
    );
    expect(checkEntityRef('Component:Default/Payments_DB.v2')).toBe(
      'Component:Default/Payments_DB.v2',
    );
  });

  it.each([
    [undefined, /entityRef is required/],
    ['', /entityRef is required/],
    [['a', 'b'], /given once/],
    ['payments-db', /must have the form kind:namespace\/name/],
    ['component:payments-db', /must have the form kind:namespace\/name/],
    ['default/payments-db', /must have the form kind:namespace\/name/],
    ['component:default/', /must have the form/],
    [
      'component:default/payments\u0000db',
      /^entityRef name "payments\\u0000db" breaks the catalog's rule: a name is 1-63 characters/,
    ],
    ['component:default/päyments', /name "päyments" breaks the catalog's rule/],
    ['component:default/..', /name "\.\." breaks the catalog's rule/],
    ['component:../payments-db', /namespace "\.\." breaks the catalog's rule/],
    ['component:default/a/b', /name "a\/b" breaks the catalog's rule/],
    ['component:default/a%2Fb', /name "a%2Fb" breaks the catalog's rule/],
    [
      'compo nent:default/a',
      /kind "compo nent" breaks the catalog's rule: a kind is/,
    ],
    ['component:default/a:b', /name "a:b" breaks/],
    [
      'component:de_fault/a',
      /namespace "de_fault" breaks the catalog's rule: a namespace is/,
    ],
    [`component:default/${'a'.repeat(64)}`, /name "a{64}" breaks/],
  ])('refuses %j with a 400 naming the rule', (ref, message) => {
    expect(() => checkEntityRef(ref)).toThrow(InputError);
    expect(() => checkEntityRef(ref)).toThrow(message);
  });

  it('checks one part alone, naming where it came from', () => {
    expect(() => checkEntityRefPart('name', 'a/b', 'path')).toThrow(
      /^path name "a\/b" breaks the catalog's rule/,
    );
    expect(() => checkEntityRefPart('kind', 'component', 'path')).not.toThrow();
  });
});
