/** Largest text value (a workflow or prompt) read from a file: FE reads at most 64 MiB of an MP4. */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024;
/** Largest metadata structure read whole (an MP4 `meta` box, Matroska `Tags`, an ID3 tag, an Ogg comment packet). */
export const MAX_METADATA_BYTES = 2 * MAX_FIELD_BYTES;
/** Chunks, boxes, elements or pages visited per file before giving up (a hostile file of tiny chunks). */
export const MAX_SCAN_STEPS = 1_000_000;
/** Bytes the first read of a file fetches: the magic and, in most files ComfyUI writes, the metadata too. */
export const READ_WINDOW_BYTES = 64 * 1024;
/** Bytes later small reads fetch (one page): a run of small chunk headers costs one read, a skipped big chunk little. */
export const READ_AHEAD_BYTES = 4 * 1024;
/**
 * Largest read-ahead: while reads keep landing just past the last one (a PNG's IDAT headers every
 * 64 KiB), the read-ahead doubles up to this, so walking a file of many chunks costs few reads.
 */
export const MAX_READ_AHEAD_BYTES = 1024 * 1024;
/** Leading bytes read to recognise the container. */
export const MAGIC_BYTES = 16;
/** Nesting depth allowed in nested metadata (Matroska SimpleTags, JSON strings encoded again). */
export const MAX_NESTING = 8;
/** Other text keys remembered for the "no workflow" error message. */
export const MAX_OTHER_KEYS = 8;
