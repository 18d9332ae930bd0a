import {
  labelSelectorFromObject,
  labelSelectorToString,
  mapToQuery,
  matchesMap,
  matchesSelector,
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/owner': 'team-a' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=web,tier=back', false],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['example.com/owner', true],
    ['!missing', true],
    ['!app', false],
    ['missing!=x', true],
    ['', true],
  ])('%s → %s', (sel, expected) => {
    expect(matchLabels(parseLabelSelector(sel), labels)).toBe(expected);
  });

  it('rejects malformed selectors with a 400', () => {
    expect(() => parseLabelSelector('app=we b')).toThrow();
    expect(() => parseLabelSelector(`app=${'x'.repeat(64)}`)).toThrow(
      /invalid label value/,
    );
  });

  it('turns LabelSelector objects into matchers and strings', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
      ],
    };
    expect(
      labelSelectorFromObject(sel)(k => (labels as Record<string, string>)[k]),
    ).toBe(true);
    expect(labelSelectorToString(sel)).toBe('app=web,tier in (back,front)');
  });
});

describe('field selectors', () => {
  it('parses = == != and matches', () => {
    const reqs = parseFieldSelector('spec.nodeName=n1,status.phase!=Failed');
    expect(reqs).toEqual([
      { field: 'spec.nodeName', op: 'eq', value: 'n1' },
      { field: 'status.phase', op: 'neq', value: 'Failed' },
    ]);
    const get = (f: string) =>
      (
        ({ 'spec.nodeName': 'n1', 'status.phase': 'Running' }) as Record<
          string,
          string
        >
      )[f];
    expect(matchFields(reqs, get)).toBe(true);
    expect(matchFields(parseFieldSelector('spec.nodeName='), get)).toBe(false);
    expect(() => parseFieldSelector('nonsense')).toThrow();
  });
});

describe('label selector objects and maps', () => {
  it('matches matchLabels and every expression operator', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matchesSelector({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    expect(
      matchesSelector(
        {
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['front', 'back'] },
          ],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        {
          matchExpressions: [
            { key: 'tier', operator: 'NotIn', values: ['front'] },
          ],
        },
        labels,
      ),
    ).toBe(false);
    expect(
      matchesSelector(
        {
          matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }],
        },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
        labels,
      ),
    ).toBe(true);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
        labels,
      ),
    ).toBe(false);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'app', operator: 'Bogus' }] },
        labels,
      ),
    ).toBe(false);
  });

  it('treats an empty selector as everything and a missing one as nothing', () => {
    expect(matchesSelector({}, { a: 'b' })).toBe(true);
    expect(matchesSelector(undefined, { a: 'b' })).toBe(false);
    expect(
      matchesSelector(
        { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] },
        {},
      ),
    ).toBe(false);
  });

  it('matches map selectors and renders them as a query', () => {
    expect(matchesMap({ a: '1' }, { a: '1', b: '2' })).toBe(true);
    expect(matchesMap({ a: '1', c: '3' }, { a: '1' })).toBe(false);
    expect(mapToQuery({ a: '1', b: '2' })).toBe('a=1,b=2');
  });
});
