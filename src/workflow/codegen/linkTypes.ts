/** The output types that fit a link into an input of a given declared type. */

/** Output types that fit any input (the server's `validate_node_input`). */
const WILDCARDS: readonly string[] = ['*', 'COMFY_MATCHTYPE_V3'];

const split = (type: string): string[] => type.split(',').map((part) => part.trim());

/**
 * Whether an output of type `received` may feed an input declared as `declared` (a type name, or a
 * legacy combo's list of values): the same name, a wildcard on either side, or comma-separated
 * types that share one (`IMAGE,MASK` fits `IMAGE`). Nothing but a wildcard fits a legacy combo.
 */
export function linkTypeFits(received: string, declared: unknown): boolean {
  if (WILDCARDS.includes(received)) return true;
  if (typeof declared !== 'string') return false;
  if (received === declared || WILDCARDS.includes(declared)) return true;
  const accepted = new Set(split(declared));
  return split(received).some((type) => accepted.has(type));
}

/** The output types that fit a declared input type (a type name, or a legacy combo's list). */
export type FittingTypes = (declared: unknown) => readonly string[];

/**
 * For a server whose classes output `outputTypes`: every output type that fits a declared input
 * type (the declared type's own parts first, then the others sorted), memoised per declared type.
 */
export function fittingTypes(outputTypes: readonly string[]): FittingTypes {
  const candidates = [...new Set([...outputTypes, ...WILDCARDS])];
  const known = new Map<string, readonly string[]>();
  return (declared) => {
    const key = typeof declared === 'string' ? declared : '';
    let found = known.get(key);
    if (!found) {
      const own = typeof declared === 'string' ? split(declared) : [];
      found = [...own, ...candidates.filter((type) => !own.includes(type) && linkTypeFits(type, declared)).sort()];
      known.set(key, found);
    }
    return found;
  };
}
