import type { NodeReplacementTable } from '../../protocol/nodeReplacements';
import { type ServerDialect, type ServerTraits, serverDialect } from '../../workflow/server/serverTraits';
import { BUILTIN_NODE_REPLACEMENTS } from './builtinReplacements';

/** The ComfyUI version the fake imitates by default (the recordings' server). */
export const DEFAULT_FAKE_VERSION = '0.8.0';

/** Which ComfyUI the fake answers as: its version, the behaviour that follows, and its flags. */
export interface FakeServerProfile {
  readonly version: string;
  readonly dialect: ServerDialect;
  /** `GET /features` and the WebSocket reply. */
  features(): Record<string, unknown>;
  /** `GET /node_replacements` (newer servers only). */
  readonly nodeReplacements?: NodeReplacementTable;
  /** What validation needs to answer as this server. */
  readonly traits: ServerTraits;
}

/**
 * The profile of a fake started as `version` (default 0.8.0), with its upload limit in its flags
 * and, when newer, the built-in node replacements plus `extraReplacements`.
 */
export function fakeServerProfile(version: string = DEFAULT_FAKE_VERSION, maxUploadBytes: number, extraReplacements: NodeReplacementTable = {}): FakeServerProfile {
  const dialect = serverDialect({ version });
  const newer = dialect !== '0.8.0';
  const nodeReplacements = newer ? { ...BUILTIN_NODE_REPLACEMENTS, ...extraReplacements } : undefined;
  const features = () => ({
    supports_preview_metadata: true,
    ...(newer ? { supports_model_type_tags: true } : {}),
    max_upload_size: maxUploadBytes,
    extension: { manager: { supports_v4: true } },
    ...(newer ? { node_replacements: true, assets: false } : {}),
  });
  return { version, dialect, features, ...(nodeReplacements ? { nodeReplacements } : {}), traits: { version, ...(nodeReplacements ? { nodeReplacements } : {}) } };
}
