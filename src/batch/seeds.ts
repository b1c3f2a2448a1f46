import { randomBytes } from 'node:crypto';
import { ComfyOptionsError } from '../errors';

/** Largest seed a batch makes (seeds travel as JSON numbers: 2^53 - 1 is the largest exact one). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * How each item's seed is chosen:
 * - `random` (default): a fresh seed per item; with `value`, a reproducible sequence derived from it;
 * - `fixed`: every item gets `value` (default: the template's own seed);
 * - `increment`: `value + item index` (default start: the template's seed, or a random one).
 */
export interface SeedPolicy {
  readonly policy: 'random' | 'fixed' | 'increment';
  readonly value?: number;
}

/**
 * The seed of each item index under `policy`.
 * @param templateSeed The template's seed, when it has a numeric one.
 * @param random Source of random seeds (tests inject one).
 * @throws ComfyOptionsError for `fixed` with neither a value nor a numeric template seed.
 */
export function seedSequence(policy: SeedPolicy, templateSeed: number | undefined, random: () => number = randomSeed): (index: number) => number {
  switch (policy.policy) {
    case 'random': {
      const value = policy.value;
      return value === undefined ? () => random() : (index) => mixSeed(value, index);
    }
    case 'fixed': {
      const value = policy.value ?? templateSeed;
      if (value === undefined) throw new ComfyOptionsError("seed.value is required for policy 'fixed': the template's seed is not a number");
      return () => value;
    }
    case 'increment': {
      const start = policy.value ?? templateSeed ?? random();
      return (index) => (start + index) % (MAX_SEED + 1);
    }
  }
}

/** A uniformly random seed in [0, 2^53). */
export function randomSeed(): number {
  return Number(randomBytes(8).readBigUInt64BE() >> 11n);
}

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 of (value, index), cut to 53 bits: a well-spread, reproducible seed per item. */
export function mixSeed(value: number, index: number): number {
  let z = (BigInt(value) + BigInt(index + 1) * 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z ^= z >> 31n;
  return Number(z >> 11n);
}
