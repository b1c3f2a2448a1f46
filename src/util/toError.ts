/** A caught value as an Error (non-Error throws become an Error with their string form). */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
