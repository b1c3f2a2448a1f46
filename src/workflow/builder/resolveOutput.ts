import type { DeclaredOutput } from '../objectInfoIndex';

/** The output a key names, or why it names none. */
export type ResolvedOutput = { readonly output: DeclaredOutput } | { readonly reason: string };

/**
 * Finds the output `key` names on a node: a number is the index; a string is an output name, else
 * an output type (`'MODEL'`), else an index written as digits. A name or type that several outputs
 * share names none (ask by index). Codegen types the output keys with this same rule.
 */
export function resolveOutput(outputs: readonly DeclaredOutput[], key: string | number): ResolvedOutput {
  if (typeof key === 'number') {
    const output = Number.isInteger(key) ? outputs[key] : undefined;
    return output ? { output } : { reason: `it has ${outputs.length} output(s)${listOutputs(outputs)}` };
  }
  for (const field of ['name', 'type'] as const) {
    const matches = outputs.filter((output) => output[field] === key);
    if (matches.length === 1) return { output: matches[0] as DeclaredOutput };
    if (matches.length > 1) return { reason: `${matches.length} outputs have that ${field} (slots ${matches.map((m) => m.index).join(', ')}); take one by index` };
  }
  if (/^(0|[1-9]\d*)$/.test(key)) return resolveOutput(outputs, Number(key));
  return { reason: outputs.length ? `no output has that name or type${listOutputs(outputs)}` : 'it has no outputs' };
}

const listOutputs = (outputs: readonly DeclaredOutput[]): string => (outputs.length ? ` (${outputs.map((o) => `${o.index} ${o.name} (${o.type})`).join(', ')})` : '');
