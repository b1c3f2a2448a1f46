import { PyException } from './pyException';
import { pyBool, pyContains, pyEquals, pyFloat, pyFloatText, pyGetItem, pyInt, pyRepr, pyStr, pyTupleIndex } from './python';

const raised = (fn: () => unknown): [string, string] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PyException) return [error.pyType, error.text];
    throw error;
  }
  throw new Error('expected a PyException');
};

describe('python semantics', () => {
  it('int() accepts what Python accepts and rejects the rest with its messages', () => {
    expect(['16', ' 8 ', '1_6', '+3', '-0', '007'].map(pyInt)).toEqual([16, 8, 16, 3, 0, 7]);
    expect([7.9, -7.9, true, false].map(pyInt)).toEqual([7, -7, 1, 0]);
    expect(raised(() => pyInt('1__0'))).toEqual(['ValueError', "invalid literal for int() with base 10: '1__0'"]);
    expect(raised(() => pyInt('1e3'))).toEqual(['ValueError', "invalid literal for int() with base 10: '1e3'"]);
    expect(raised(() => pyInt(null))).toEqual(['TypeError', "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"]);
    expect(raised(() => pyInt({}))).toEqual(['TypeError', "int() argument must be a string, a bytes-like object or a real number, not 'dict'"]);
  });

  it('float() reads inf, nan and underscores', () => {
    expect(['1.5', ' .5', '5.', '1e3', '1_0.5', 'inf', '-Infinity'].map(pyFloat)).toEqual([1.5, 0.5, 5, 1000, 10.5, Infinity, -Infinity]);
    expect(Number.isNaN(pyFloat('nan'))).toBe(true);
    expect(raised(() => pyFloat('abc'))).toEqual(['ValueError', "could not convert string to float: 'abc'"]);
    expect(raised(() => pyFloat([1]))).toEqual(['TypeError', "float() argument must be a string or a real number, not 'list'"]);
  });

  it('prints floats, strings and containers as repr() does', () => {
    expect([2, 0.5, 1e-5, 1e16, 1.5e300, -Infinity, Number.NaN].map(pyFloatText)).toEqual(['2.0', '0.5', '1e-05', '1e+16', '1.5e+300', '-inf', 'nan']);
    expect(pyRepr({ a: [1, 'x', null, true], "it's": 1.5 })).toBe(`{'a': [1, 'x', None, True], "it's": 1.5}`);
    expect(pyStr('plain')).toBe('plain');
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(pyRepr(deep)).toHaveLength(200_001);
  });

  it('bool(), == and `in` follow Python', () => {
    expect(['false', '', 0, [], {}, null, 'x'].map(pyBool)).toEqual([true, false, false, false, false, false, true]);
    expect([pyEquals(1, true), pyEquals(1, '1'), pyEquals([1, { a: 2 }], [true, { a: 2 }])]).toEqual([true, false, true]);
    expect([pyContains(['a'], 'a'), pyContains('abc', 'bc'), pyContains({ a: 1 }, 'a'), pyContains({ a: 1 }, 1)]).toEqual([true, true, true, false]);
    expect(raised(() => pyContains(5, 'a'))).toEqual(['TypeError', "argument of type 'int' is not iterable"]);
  });

  it('[] raises KeyError with the repr of the key, TypeError for unhashable keys, IndexError past a tuple', () => {
    expect(raised(() => pyGetItem({}, '99'))).toEqual(['KeyError', "'99'"]);
    expect(raised(() => pyGetItem({}, 1))).toEqual(['KeyError', '1']);
    expect(raised(() => pyGetItem({}, [1]))).toEqual(['TypeError', "unhashable type: 'list'"]);
    expect([pyTupleIndex(['A', 'B'], -1), pyTupleIndex(['A', 'B'], true)]).toEqual(['B', 'B']);
    expect(raised(() => pyTupleIndex(['A'], 1))).toEqual(['IndexError', 'tuple index out of range']);
    expect(raised(() => pyTupleIndex(['A'], 'a'))).toEqual(['TypeError', 'tuple indices must be integers or slices, not str']);
  });
});
