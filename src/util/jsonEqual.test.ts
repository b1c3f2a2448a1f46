import { equalByContent, jsonEqual } from './jsonEqual';

describe('jsonEqual', () => {
  it('compares objects by keys whatever their order, arrays by position, NaN equal to NaN', () => {
    expect(jsonEqual({ a: [1, { b: NaN }], c: 'x' }, { c: 'x', a: [1, { b: NaN }] })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
  });

  it('walks deep values without recursion', () => {
    let deep: unknown = 0;
    let same: unknown = 0;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
      same = [same];
    }
    expect(jsonEqual(deep, same)).toBe(true);
  });
});

describe('equalByContent', () => {
  it('lets the leaf rule decide scalars and descends into two objects', () => {
    const loose = (x: unknown, y: unknown) => (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null ? undefined : String(x) === String(y));
    expect(equalByContent({ a: [1, '2'] }, { a: ['1', 2] }, loose)).toBe(true);
    expect(equalByContent({ a: [1] }, { a: { 0: 1 } }, loose)).toBe(false);
  });
});
