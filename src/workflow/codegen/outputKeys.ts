import type { DeclaredOutput } from '../objectInfoIndex';
import { resolveOutput } from '../builder/resolveOutput';

/**
 * Every key `node.output(key)` accepts on a class, with the output it names: each unambiguous
 * name and type, then each index. The builder's own {@link resolveOutput} decides, so the typed keys
 * are exactly those that work at run time.
 */
export function outputKeys(outputs: readonly DeclaredOutput[]): { readonly key: string | number; readonly output: DeclaredOutput }[] {
  const keys: { key: string | number; output: DeclaredOutput }[] = [];
  const seen = new Set<string>();
  for (const key of [...outputs.map((o) => o.name), ...outputs.map((o) => o.type), ...outputs.map((o) => o.index)]) {
    if (seen.has(String(key))) continue;
    seen.add(String(key));
    const found = resolveOutput(outputs, key);
    if ('output' in found) keys.push({ key, output: found.output });
  }
  return keys;
}
