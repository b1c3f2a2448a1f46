import { ComfyOptionsError } from '../errors';
import { isCanonicalUuid } from '../util/isCanonicalUuid';

/**
 * The `promptId` run option, checked before anything is sent: a UUID in canonical lowercase
 * hyphenated form (newer ComfyUI servers reject any other id with a 400 `invalid_prompt_id`;
 * `crypto.randomUUID()` makes one). Undefined: the client makes one.
 * @throws ComfyOptionsError for any other value.
 * @example promptIdOption(randomUUID()) // the id; promptIdOption('job-1') throws
 */
export function promptIdOption(value: unknown): string | undefined {
  if (value === undefined || isCanonicalUuid(value)) return value;
  throw new ComfyOptionsError(
    `Invalid option promptId: ${JSON.stringify(value)} is not a UUID in canonical lowercase hyphenated form (newer ComfyUI servers reject it); use crypto.randomUUID(), or leave it out`,
  );
}
