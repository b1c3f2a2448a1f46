import { lazy } from './lazy';

describe('lazy', () => {
  it('makes the value on first use only, and returns the same value after (undefined included)', () => {
    let made = 0;
    const get = lazy(() => {
      made++;
      return made === 1 ? undefined : 'again';
    });
    expect(made).toBe(0);
    expect(get()).toBeUndefined();
    expect(get()).toBeUndefined();
    expect(made).toBe(1);
  });
});
