import { linkTypeMatches } from '../validate/linkTypeMatches';

/** The output types that fit a declared input type (a type name, or a legacy combo's list). */
export type FittingTypes = (declared: unknown) => readonly string[];

/**
 * For a server whose classes output `outputTypes`: the output types a link into an input of a
 * declared type may carry, by the server's own rule ({@link linkTypeMatches}): the declared type's
 * parts first (`IMAGE,MASK` -> `IMAGE`, `MASK`), then the other output types that match, sorted.
 * Memoised per declared type.
 */
export function fittingTypes(outputTypes: readonly string[]): FittingTypes {
  const candidates = [...new Set(outputTypes)];
  const known = new Map<string, readonly string[]>();
  return (declared) => {
    const key = typeof declared === 'string' ? declared : '';
    let found = known.get(key);
    if (!found) {
      const own = typeof declared === 'string' ? declared.split(',').map((part) => part.trim()) : [];
      found = [...own, ...candidates.filter((type) => !own.includes(type) && linkTypeMatches(type, declared)).sort()];
      known.set(key, found);
    }
    return found;
  };
}
