import { extname } from 'node:path';

/** Content types by lower-case file extension, for the outputs ComfyUI nodes write. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.apng': 'image/apng',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Returned for unknown or missing extensions. */
export const DEFAULT_MIME = 'application/octet-stream';

/**
 * Guesses a `Content-Type` from a file name's extension (case-insensitive), e.g. for `GET /view`.
 * @param fileName A bare name or a path; only the last extension counts.
 * @returns The content type, or `application/octet-stream` when unknown.
 * @example mimeOf('ComfyUI_00001_.PNG'); // 'image/png'
 */
export function mimeOf(fileName: string): string {
  return MIME_BY_EXTENSION[extname(fileName).toLowerCase()] ?? DEFAULT_MIME;
}
