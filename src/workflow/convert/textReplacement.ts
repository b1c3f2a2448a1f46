/**
 * The frontend's `%…%` replacements in `filename_prefix` (docs/conversion.md §2.4) [FE
 * searchAndReplace.ts, formatUtil.ts]: `%date:FMT%` from the clock, `%Node.widget%` from the
 * widget of the first node whose `Node name for S&R` (else title) is `Node`; everything else is
 * left for the server (`%width%`, `%year%`, ...).
 */

/** Classes whose `filename_prefix` the frontend rewrites before queueing [FE saveImageExtraOutput.ts]. */
export const TEXT_REPLACEMENT_CLASSES: ReadonlySet<string> = new Set([
  'SaveImage', 'SaveImageAdvanced', 'SaveSVGNode', 'SaveVideo', 'SaveAnimatedWEBP', 'SaveWEBM', 'SaveAudio', 'SaveAudioMP3',
  'SaveAudioOpus', 'SaveAudioAdvanced', 'SaveGLB', 'SaveAnimatedPNG', 'CLIPSave', 'VAESave', 'ModelSave', 'LoraSave', 'SaveLatent',
]);

/** A node as the replacement sees it: its S&R name, runtime title and widget values by name. */
export interface ReplacementNode {
  readonly searchName?: unknown;
  readonly title: string;
  readonly widgetValue: (name: string) => { value: unknown } | undefined;
}

/** Formats `yyyy yy M MM d dd h hh m mm s ss` in local time, zero-padded to the token's length. */
export function formatDate(format: string, date: Date): string {
  const parts: Record<string, number> = { d: date.getDate(), M: date.getMonth() + 1, h: date.getHours(), m: date.getMinutes(), s: date.getSeconds() };
  return format.replace(/(yyyy|yy|dd|d|MM|M|hh|h|mm|m|ss|s)/g, (token) => {
    if (token === 'yyyy') return String(date.getFullYear());
    if (token === 'yy') return String(date.getFullYear()).substring(2);
    return String(parts[token[0]!]).padStart(token.length, '0');
  });
}

/** Characters a replaced widget value may not bring into a file name. */
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f]/g;

/**
 * Applies the replacements to `text`. `nodes` is every node of every graph, in file order.
 * `onUnresolved` hears `Node.widget` tokens that name no node or widget.
 */
export function applyTextReplacements(text: string, nodes: readonly ReplacementNode[], now: Date, onUnresolved?: (token: string) => void): string {
  return text.replace(/%([^%]+)%/g, (match, token: string) => {
    const split = token.split('.');
    if (split.length !== 2) return token.startsWith('date:') ? formatDate(token.substring(5), now) : match;
    const [nodeName, widgetName] = split as [string, string];
    let found = nodes.filter((node) => node.searchName === nodeName);
    if (found.length === 0) found = nodes.filter((node) => node.title === nodeName);
    const widget = found[0]?.widgetValue(widgetName);
    if (!widget) {
      onUnresolved?.(token);
      return match;
    }
    return String(widget.value ?? '').replace(FORBIDDEN, '_');
  });
}
