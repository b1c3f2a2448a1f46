import { z } from 'zod';
import type { SameShape } from './sameShape';

// The verdicts are types: this file does not compile (tsc, ts-jest) when one is wrong.
type Verdict<A, B> = SameShape<A, z.input<typeof Schema>> extends B ? ([B] extends [SameShape<A, z.input<typeof Schema>>] ? 'right' : 'wrong') : 'wrong';

const Schema = z
  .object({
    url: z.union([z.string(), z.instanceof(URL)]),
    count: z.number().optional(),
    nested: z.object({ delayMs: z.number() }).partial().optional(),
    format: z.custom<(n: number) => string>().optional(),
    items: z.array(z.object({ name: z.string(), size: z.number().optional() })).optional(),
  })
  .strict();

interface Options {
  readonly url: string | URL;
  readonly count?: number;
  readonly nested?: { readonly delayMs?: number };
  readonly format?: (n: number) => string;
  readonly items?: ReadonlyArray<{ readonly name: string; readonly size?: number }>;
}

const verdicts: Record<string, 'right'> = {
  agrees: 'right' as Verdict<Options, true>,
  extraKey: 'right' as Verdict<Options & { readonly extra?: string }, false>,
  missingKey: 'right' as Verdict<Omit<Options, 'count'>, false>,
  otherValue: 'right' as Verdict<Omit<Options, 'count'> & { readonly count?: string }, false>,
  requiredInsteadOfOptional: 'right' as Verdict<Omit<Options, 'count'> & { readonly count: number }, false>,
  nestedExtraKey: 'right' as Verdict<Omit<Options, 'nested'> & { readonly nested?: { readonly delayMs?: number; readonly jitter?: number } }, false>,
  arrayElementMissingKey: 'right' as Verdict<Omit<Options, 'items'> & { readonly items?: ReadonlyArray<{ readonly name: string }> }, false>,
  functionOfOtherType: 'right' as Verdict<Omit<Options, 'format'> & { readonly format?: (n: string) => string }, false>,
};

describe('SameShape', () => {
  it('tells an options interface that agrees with its schema from ones that differ in a key, a value or optionality', () => {
    expect(Object.values(verdicts)).toEqual(Array(8).fill('right'));
  });
});
