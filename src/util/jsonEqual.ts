/**
 * Equality of two JSON values by content (arrays by position, objects by keys whatever their
 * order), iterative; `NaN` equals `NaN`. Unlike `isDeepStrictEqual` it ignores where the objects
 * were made (another realm's arrays are still arrays).
 * @example jsonEqual({ a: [1, 2] }, { a: [1, 2] }) // true
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return equalByContent(a, b, jsonLeafEqual);
}

function jsonLeafEqual(x: unknown, y: unknown): boolean | undefined {
  if (x === y || (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y))) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  return undefined;
}

/**
 * The walk of every equality by content: `leaf` decides a pair (`true` equal, `false` different)
 * or answers `undefined` for two objects, which are then compared by content: arrays by position,
 * objects by own keys whatever their order. Iterative (no stack overflow on deep values).
 * @example equalByContent([1, 2], [1.0, 2], (x, y) => (typeof x === 'object' && typeof y === 'object' ? undefined : x === y)) // true
 */
export function equalByContent(a: unknown, b: unknown, leaf: (x: unknown, y: unknown) => boolean | undefined): boolean {
  const pairs: [unknown, unknown][] = [[a, b]];
  while (pairs.length > 0) {
    const [x, y] = pairs.pop()!;
    const verdict = leaf(x, y);
    if (verdict === true) continue;
    if (verdict === false) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((element, index) => pairs.push([element, ys[index]]));
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(yo, key)) return false;
      pairs.push([xo[key], yo[key]]);
    }
  }
  return true;
}
