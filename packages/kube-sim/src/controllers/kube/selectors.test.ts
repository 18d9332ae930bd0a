import { mapToQuery, matchesMap, matchesSelector } from './selectors';

describe('label selectors', () => {
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
  });

  it('matches map selectors and renders them as a query', () => {
    expect(matchesMap({ a: '1' }, { a: '1', b: '2' })).toBe(true);
    expect(matchesMap({ a: '1', c: '3' }, { a: '1' })).toBe(false);
    expect(mapToQuery({ a: '1', b: '2' })).toBe('a=1,b=2');
  });
});
