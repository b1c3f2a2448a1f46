/** A JSON-safe picture of an error for `--json` output: name, message and typed fields (code, nodeId...), never the stack or traceback. */
export function errorToJson(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'stack' || key === 'traceback' || key === 'cause') continue;
    fields[key] = value;
  }
  return fields;
}
