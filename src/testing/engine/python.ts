/**
 * Python's `json.dumps` text rules the fake's answers follow. The Python semantics of validation
 * (`int()`, `repr()`...) live with the rule in src/workflow/validate/python.ts.
 */

/** Escapes every non-ASCII character as `\uXXXX`, as Python's `json.dumps` does by default. */
export function asciiJson(json: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(json) ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
