import { isPlainObject } from './isPlainObject';

describe('isPlainObject', () => {
  it('accepts objects, rejects null, arrays and primitives', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    for (const value of [null, undefined, [], [1], 'x', 1, true]) expect(isPlainObject(value)).toBe(false);
  });
});
