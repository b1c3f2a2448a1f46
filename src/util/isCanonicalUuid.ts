const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for a UUID in canonical lowercase hyphenated form, the only prompt id newer ComfyUI
 * servers accept (`jobs.validate_job_id`: `str(uuid.UUID(value)) == value`).
 * @example isCanonicalUuid(randomUUID()) // true; isCanonicalUuid('ABC') // false
 */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value);
}
