/** A JSON object (what Python would see as a dict): not null, not an array. */
export const isPlainRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
