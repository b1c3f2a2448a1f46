/** Content types of the media ComfyUI's loaders read, by lower-case extension. */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/opus',
  '.m4a': 'audio/mp4',
  '.txt': 'text/plain',
  '.json': 'application/json',
};

const EXTENSION_BY_TYPE: ReadonlyMap<string, string> = new Map(Object.entries(TYPE_BY_EXTENSION).reverse().map(([extension, type]) => [type, extension]));

/** Sent for unknown extensions. */
export const UNKNOWN_MEDIA_TYPE = 'application/octet-stream';

/** The content type of a file name's extension (`application/octet-stream` when unknown). */
export function mediaTypeOf(extension: string): string {
  return TYPE_BY_EXTENSION[extension.toLowerCase()] ?? UNKNOWN_MEDIA_TYPE;
}

/** The usual extension of a content type (`image/png` -> `.png`), if it is a known one. */
export function extensionOfType(contentType: string | undefined): string | undefined {
  return contentType ? EXTENSION_BY_TYPE.get(contentType.split(';')[0]?.trim().toLowerCase() ?? '') : undefined;
}

const startsWith = (bytes: Uint8Array, offset: number, ascii: string): boolean => {
  if (bytes.length < offset + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[offset + i] !== ascii.charCodeAt(i)) return false;
  return true;
};

/**
 * The extension the first bytes of a file say (magic numbers of PNG, JPEG, WebP, GIF, WAV, FLAC,
 * Ogg, MP3, MP4/MOV, WebM/Matroska), for sources that carry no name (bytes, streams, URLs
 * without one). `undefined` when none matches.
 * @example sniffExtension(pngBytes) // '.png'
 */
export function sniffExtension(head: Uint8Array): string | undefined {
  if (head[0] === 0x89 && startsWith(head, 1, 'PNG')) return '.png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return '.jpg';
  if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WEBP')) return '.webp';
  if (startsWith(head, 0, 'RIFF') && startsWith(head, 8, 'WAVE')) return '.wav';
  if (startsWith(head, 0, 'GIF8')) return '.gif';
  if (startsWith(head, 0, 'fLaC')) return '.flac';
  if (startsWith(head, 0, 'OggS')) return '.ogg';
  if (startsWith(head, 0, 'ID3') || (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xe0) === 0xe0)) return '.mp3';
  if (startsWith(head, 4, 'ftyp')) return startsWith(head, 8, 'qt  ') ? '.mov' : '.mp4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return '.webm';
  if (startsWith(head, 0, 'BM')) return '.bmp';
  return undefined;
}
