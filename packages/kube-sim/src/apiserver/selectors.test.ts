import {
  labelSelectorFromObject,
  labelSelectorToString,
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
    expect(() => parseLabelSelector('app=' + 'x'.repeat(64))).toThrow(
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
