import { jsonPatch } from './json';
import { jsonMergePatch } from './merge';

describe('JSON merge patch', () => {
  it('merges objects, replaces lists, deletes with null', () => {
    expect(
      jsonMergePatch(
        { a: { b: 1, c: 2 }, l: [1, 2] },
        { a: { c: null, d: 3 }, l: [3] },
      ),
    ).toEqual({ a: { b: 1, d: 3 }, l: [3] });
    expect(jsonMergePatch({ a: 1 }, 'x')).toBe('x');
  });
});

describe('JSON patch', () => {
  it('applies operations without mutating the input', () => {
    const doc = { a: [1, 2] };
    expect(jsonPatch(doc, [{ op: 'add', path: '/a/-', value: 3 }])).toEqual({
      a: [1, 2, 3],
    });
    expect(doc).toEqual({ a: [1, 2] });
  });
  it('is 400 for malformed patches and 422 for patches that do not apply', () => {
    expect(() => jsonPatch({}, { op: 'add' })).toThrow(
      expect.objectContaining({ code: 400 }),
    );
    expect(() => jsonPatch({}, [{ op: 'nope', path: '/a' }])).toThrow(
      expect.objectContaining({ code: 400 }),
    );
    expect(() => jsonPatch({}, [{ op: 'remove', path: '/missing' }])).toThrow(
      expect.objectContaining({ code: 422 }),
    );
    expect(() =>
      jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]),
    ).toThrow(expect.objectContaining({ code: 422 }));
  });
});
