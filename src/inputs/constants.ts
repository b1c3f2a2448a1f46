/** Named defaults of input files (uploads, dedupe, handles, queue job inputs). */

/** Subfolder of the input folder that holds content-addressed uploads: `comfyui-rx/<hash>.<ext>`. */
export const CONTENT_SUBFOLDER = 'comfyui-rx';
/** Hex digits of the SHA-256 kept in a content-addressed name (128 bits). */
export const CONTENT_HASH_DIGITS = 32;
/** File hashes remembered per process (see `hashFile`). */
export const HASH_CACHE_ENTRIES = 10_000;
/** Uploads of one prompt's inputs in flight at once. */
export const INPUT_UPLOAD_CONCURRENCY = 4;
/** Bytes a queue job may carry inline (base64 in Redis) per input by default. */
export const DEFAULT_INLINE_INPUT_BYTES = 1024 * 1024;
/** Redirects a URL source may follow. */
export const MAX_URL_REDIRECTS = 5;
/** Content-addressed uploads remembered per server (the oldest is forgotten first). */
export const PLACED_FILES_PER_SERVER = 100_000;
/** The `extra_pnginfo` key under which a run records its input files (`{ '<node>.inputs.<name>': { value, source } }`). */
export const INPUTS_METADATA_KEY = 'comfyui_rx_inputs';
/**
 * Bytes read at a time from a file being hashed or uploaded: small chunks keep the garbage between
 * two collections small (1 MiB chunks measured 64 MiB of RSS growth for a 200 MiB upload).
 */
export const READ_CHUNK_BYTES = 64 * 1024;
