import {
  add,
  exceeded,
  formatQuantity,
  parseQuantity,
  prettyPrint,
  parseResourceList,
  subtractNonNegative,
} from './resourceList';

const canonical = (s: string) => formatQuantity(parseQuantity(s));

describe('quota resource lists', () => {
  it('prints quantities in resource.Quantity canonical form', () => {
    expect(canonical('10Gi')).toBe('10Gi');
    expect(canonical('1024Mi')).toBe('1Gi');
    expect(canonical('1000Mi')).toBe('1000Mi');
    expect(canonical('1.5Gi')).toBe('1536Mi');
    expect(canonical('512Ki')).toBe('512Ki');
    // binary below 1024, or not whole, falls back to decimal
    expect(canonical('0.5Ki')).toBe('512');
    expect(canonical('1000m')).toBe('1');
    expect(canonical('0.1')).toBe('100m');
    expect(canonical('1500')).toBe('1500');
    expect(canonical('2000')).toBe('2k');
    expect(canonical('1e3')).toBe('1k');
    expect(canonical('128M')).toBe('128M');
    expect(canonical('0')).toBe('0');
    expect(() => parseQuantity('12x')).toThrow('invalid quantity');
  });

  it("adds exactly and keeps the first non-zero operand's format", () => {
    const sum = add(
      parseResourceList({ cpu: '100m', memory: '0' }),
      parseResourceList({ cpu: '200m', memory: '128Mi' }),
    );
    // 0.1 + 0.2 is 300m, not 300.00000000000006m
    expect(prettyPrint(sum)).toBe('cpu=300m,memory=128Mi');
    expect(
      prettyPrint(
        add(parseResourceList({ s: '1G' }), parseResourceList({ s: '1Gi' })),
      ),
    ).toBe('s=2073741824');
  });

  it('subtracts without going below zero and names what exceeds', () => {
    const a = parseResourceList({ cpu: '1', pods: '3' });
    const b = parseResourceList({ cpu: '2', pods: '1' });
    expect(prettyPrint(subtractNonNegative(a, b))).toBe('cpu=0,pods=2');
    expect(
      exceeded(a, parseResourceList({ cpu: '1', pods: '2', other: '0' })),
    ).toEqual(['pods']);
  });
});
