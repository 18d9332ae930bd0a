import { parseQuantity, tryParseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 2 ** 30],
    ['20Gi', 20 * 2 ** 30],
    ['500Mi', 500 * 2 ** 20],
    ['1G', 1e9],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['100', 100],
    ['1e3', 1000],
    ['250m', 0.25],
  ])('%s', (q, bytes) => expect(parseQuantity(q)).toBe(bytes));

  it('rejects what the API rejects instead of reading 0', () => {
    expect(() => parseQuantity('1GB')).toThrow(/invalid quantity/);
    expect(() => parseQuantity('')).toThrow();
    expect(tryParseQuantity('lots')).toBeUndefined();
    expect(tryParseQuantity(undefined)).toBeUndefined();
    expect(tryParseQuantity({})).toBeUndefined();
  });

  it('reads decimal suffixes and exponents as the API server does', () => {
    expect(parseQuantity('500M')).toBe(5e8);
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(' 1Gi ')).toBe(2 ** 30);
    expect(parseQuantity(3)).toBe(3);
  });
});
