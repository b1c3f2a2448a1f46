/** Small printers of TypeScript source text, shared by the codegen passes. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with'.split(' '),
);

/** `name` as a property key: bare when it is an identifier or a canonical index, else a string literal. */
export function propertyKey(name: string | number): string {
  if (typeof name === 'number' || IDENTIFIER.test(name) || /^(0|[1-9]\d*)$/.test(name)) return String(name);
  return JSON.stringify(name);
}

/** A TypeScript type name made of `name` (other characters become `_`), unique among `taken`. */
export function typeName(name: string, suffix: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (!/^[A-Za-z_$]/.test(base)) base = `_${base}`;
  let candidate = `${base}${suffix}`;
  for (let n = 2; taken.has(candidate) || RESERVED_WORDS.has(candidate); n++) candidate = `${base}_${n}${suffix}`;
  taken.add(candidate);
  return candidate;
}

/** A literal type of a primitive value (`'euler'`, `3`, `true`), or undefined for anything else. */
export function literalType(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A union of the given type texts, in order, without repeats; `never` when empty. */
export function union(types: readonly string[]): string {
  const unique = [...new Set(types)];
  return unique.length ? unique.join(' | ') : 'never';
}

/** A JSDoc block of the given lines at `indent`; empty when there are none. */
export function jsDoc(lines: readonly string[], indent: string): string {
  const text = lines.flatMap((line) => line.split(/\r?\n/)).map((line) => line.replace(/\*\//g, '*\\/').trimEnd());
  while (text.length && text[text.length - 1] === '') text.pop();
  if (!text.length) return '';
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((line) => (line ? `${indent} * ${line}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/** Code-unit order: the same on every machine and locale (`localeCompare` is not). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
