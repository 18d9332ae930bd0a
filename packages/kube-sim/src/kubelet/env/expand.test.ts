import { expand } from './expand';

describe('expand', () => {
  const vars: Record<string, string> = { A: 'alpha', B: 'beta', EMPTY: '' };
  const lookup = (n: string) => vars[n];

  it.each([
    ['$(A)', 'alpha'],
    ['x-$(A)-$(B)', 'x-alpha-beta'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$alpha'],
    ['$(A', '$(A'],
    ['a$b', 'a$b'],
    ['trailing$', 'trailing$'],
    ['$()', '$()'],
    ['$(EMPTY)x', 'x'],
    ['no refs', 'no refs'],
  ])('%s -> %s', (input, want) => {
    expect(expand(input, lookup)).toBe(want);
  });
});
