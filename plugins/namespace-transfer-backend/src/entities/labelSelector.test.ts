import { labelSelectorMatcher, parseLabelSelector } from './labelSelector';

describe('Kubernetes label selectors', () => {
  const match = (selector: string, labels?: Record<string, string>) =>
    labelSelectorMatcher(selector)(labels);

  it('parses every operator of the syntax', () => {
    expect(
      parseLabelSelector(
        'a, !b, c=1, d==2, e!=3, f in (x, y), g notin (z), h>5, i<-2, example.com/j=k_l.m',
      ),
    ).toEqual([
      { key: 'a', operator: 'exists', values: [] },
      { key: 'b', operator: '!', values: [] },
      { key: 'c', operator: '=', values: ['1'] },
      { key: 'd', operator: '=', values: ['2'] },
      { key: 'e', operator: '!=', values: ['3'] },
      { key: 'f', operator: 'in', values: ['x', 'y'] },
      { key: 'g', operator: 'notin', values: ['z'] },
      { key: 'h', operator: 'gt', values: ['5'] },
      { key: 'i', operator: 'lt', values: ['-2'] },
      { key: 'example.com/j', operator: '=', values: ['k_l.m'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('a=')).toEqual([
      { key: 'a', operator: '=', values: [''] },
    ]);
    expect(parseLabelSelector('a in (x,,y)')[0].values).toEqual(['x', '', 'y']);
    expect(parseLabelSelector('a in (x,)')[0].values).toEqual(['x', '']);
  });

  it('matches as the API server does', () => {
    const labels = { app: 'web', tier: 'front', replicas: '3' };
    expect(match('app=web', labels)).toBe(true);
    expect(match('app==web,tier=front', labels)).toBe(true);
    expect(match('app=web,tier=back', labels)).toBe(false);
    expect(match('app!=db', labels)).toBe(true);
    expect(match('missing!=x', labels)).toBe(true);
    expect(match('app in (web, api)', labels)).toBe(true);
    expect(match('app notin (web)', labels)).toBe(false);
    expect(match('missing notin (web)', labels)).toBe(true);
    expect(match('app', labels)).toBe(true);
    expect(match('!app', labels)).toBe(false);
    expect(match('!missing', labels)).toBe(true);
    expect(match('replicas>2', labels)).toBe(true);
    expect(match('replicas<3', labels)).toBe(false);
    expect(match('app>2', labels)).toBe(false);
    expect(match('app=web', undefined)).toBe(false);
    expect(match('', undefined)).toBe(true);
    // not inherited from Object.prototype
    expect(match('constructor', {})).toBe(false);
  });

  it.each([
    ['a=b c', /found 'c', expected ',' or the end/],
    ['a=b,', /expected a requirement after ','/],
    ['a in b', /'\(' after in/],
    ['a in ()', /in needs at least one value/],
    ['a in (b', /found the end/],
    ['=b', /found '=', expected a label key/],
    ['a>b', /"b" is not an integer/],
    ['a>', /found the end, expected a label value/],
    ['a=b=c', /found '=', expected ',' or the end/],
    ['a$=b', /"a\$" is not a label key/],
    ['a=b\u0000', /"b\\u0000" is not a label value/],
    ['a=-b', /"-b" is not a label value/],
    [
      `a=${'x'.repeat(64)}`,
      /is not a label value: a label value is empty or 1-63/,
    ],
    ['in (a)', /expected a label key/],
  ])('refuses %j, naming the rule', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});
