/** Strips `/* … *\/` and `// …` comments, as the frontend does before choosing [FE dynamicPrompts.ts]. */
export function stripPromptComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
}

/**
 * Resolves a dynamic prompt like the frontend at queue time (docs/conversion.md §2.4): comments
 * stripped, each `{a|b|c}` replaced by one option chosen with `random` (nested groups are resolved
 * inside the chosen option only), `\{ \} \|` kept as literals, escaping backslashes removed last.
 * Iterative over groups; an unclosed `{` is kept as text.
 * @example resolveDynamicPrompt('a {red|blue} fox', () => 0.9) // 'a blue fox'
 */
export function resolveDynamicPrompt(text: string, random: () => number): string {
  return unescape(resolveGroups(stripPromptComments(text), random));
}

function resolveGroups(text: string, random: () => number): string {
  let result = text;
  // Each round resolves the first outermost group; the chosen option is spliced in and scanned next.
  for (let guard = 0; guard < 100_000; guard++) {
    const group = firstGroup(result);
    if (!group) return result;
    const options = splitOptions(result.slice(group.start + 1, group.end));
    const choice = options[Math.min(options.length - 1, Math.floor(random() * options.length))] ?? '';
    result = result.slice(0, group.start) + choice + result.slice(group.end + 1);
  }
  return result;
}

/** The first `{` with its matching `}`, skipping escaped characters. */
function firstGroup(text: string): { start: number; end: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '{') {
      if (depth++ === 0) start = i;
    } else if (char === '}' && depth > 0 && --depth === 0) return { start, end: i };
  }
  return undefined;
}

/** Splits a group's body at the `|` of its own level. */
function splitOptions(body: string): string[] {
  const options: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\') {
      current += char + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '{') depth++;
    if (char === '}') depth--;
    if (char === '|' && depth === 0) {
      options.push(current);
      current = '';
    } else current += char;
  }
  options.push(current);
  return options;
}

function unescape(text: string): string {
  return text.replace(/\\([{}|\\])/g, '$1');
}
