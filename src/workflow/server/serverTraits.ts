import type { NodeReplacementTable } from '../../protocol/nodeReplacements';

/**
 * What a ComfyUI server tells about itself, as far as offline validation and conversion care:
 * its version (`GET /system_stats` `system.comfyui_version`), its feature flags (`GET /features`)
 * and its node replacements (`GET /node_replacements`, on servers whose flags say
 * `node_replacements`). Every key is optional: an unknown server is treated as ComfyUI 0.8.0.
 * @example validatePrompt(prompt, objectInfo, { server: { version: '0.38.1' } })
 */
export interface ServerTraits {
  /** `system.comfyui_version` of `/system_stats` (`'0.8.0'`, `'0.38.1'`); absent or null: unknown. */
  readonly version?: string | null;
  /** `GET /features`. */
  readonly features?: Readonly<Record<string, unknown>>;
  /** `GET /node_replacements`: old class -> its replacements (the first one applies). */
  readonly nodeReplacements?: NodeReplacementTable;
}

/**
 * The server whose answers are reproduced: `'0.8.0'` (recorded from a running server) or
 * `'0.38.1'` (read from its source: `missing_node_type`, `dependency_cycle`,
 * `invalid_dynamic_input`, `repr()` in `value_not_in_list`, the `invalid_prompt_id` 400, node
 * replacements). See docs/protocol.md §8.
 */
export type ServerDialect = '0.8.0' | '0.38.1';

/** The versions whose behaviour comfyui-rx reproduces, oldest first. */
export const SERVER_DIALECTS: readonly ServerDialect[] = ['0.8.0', '0.38.1'];

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?/;

/** Flags only servers after 0.8.0 send. */
const NEWER_FLAGS = ['node_replacements', 'supports_model_type_tags', 'assets'] as const;

/**
 * The dialect of a server: up to 0.8.x its recorded answers, anything newer the newest
 * behaviour known (0.38.1); without a version, the newer one when `/features` carries a flag
 * 0.8.0 does not send, else 0.8.0.
 * @example serverDialect({ version: '0.38.1' }) // '0.38.1'
 */
export function serverDialect(traits: ServerTraits = {}): ServerDialect {
  const match = typeof traits.version === 'string' ? VERSION.exec(traits.version.trim()) : null;
  if (match) {
    const [major, minor] = [Number(match[1]), Number(match[2])];
    return major === 0 && minor <= 8 ? '0.8.0' : '0.38.1';
  }
  const features = traits.features ?? {};
  return NEWER_FLAGS.some((flag) => Object.prototype.hasOwnProperty.call(features, flag)) ? '0.38.1' : '0.8.0';
}
