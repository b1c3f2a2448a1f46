import { fitSize } from './fitSize';

describe('fitSize', () => {
  const bounds = { min: 8, max: 512 };

  it('keeps sizes that are already within bounds', () => {
    expect(fitSize(200, 100, bounds)).toEqual({ width: 200, height: 100 });
  });

  it('shrinks the long side to max, keeping the aspect ratio', () => {
    expect(fitSize(1024, 768, bounds)).toEqual({ width: 512, height: 384 });
    expect(fitSize(720, 1280, bounds)).toEqual({ width: 288, height: 512 });
  });

  it('grows the short side to min, keeping the aspect ratio', () => {
    expect(fitSize(4, 2, bounds)).toEqual({ width: 16, height: 8 });
    expect(fitSize(1, 1, bounds)).toEqual({ width: 8, height: 8 });
  });

  it('lets both bounds win over the aspect ratio for extreme ratios', () => {
    expect(fitSize(10_000, 10, bounds)).toEqual({ width: 512, height: 8 });
  });

  it('rounds fractional sizes to integers', () => {
    expect(fitSize(100.4, 50.6, bounds)).toEqual({ width: 100, height: 51 });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('throws a RangeError for side %p', (side) => {
    expect(() => fitSize(side, 64, bounds)).toThrow(RangeError);
    expect(() => fitSize(64, side, bounds)).toThrow(RangeError);
  });
});
