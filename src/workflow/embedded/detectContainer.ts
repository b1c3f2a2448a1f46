import type { EmbeddedContainer } from './container';
import { scanEbml } from './ebml';
import { scanFlac } from './flac';
import { scanGlb } from './glb';
import { scanId3 } from './id3';
import { scanIsobmff } from './isobmff';
import { scanOgg } from './ogg';
import { scanPng } from './png';
import { PNG_SIGNATURE } from './pngChunk';
import { scanSafetensors } from './safetensors';
import type { Scan, ScanContext } from './scan';
import { scanSvg } from './svg';
import { scanWebp } from './webp';

/** The reader of each container. */
export const CONTAINER_SCANNERS: Readonly<Record<EmbeddedContainer, (ctx: ScanContext) => Scan>> = {
  png: scanPng,
  webp: scanWebp,
  mp4: scanIsobmff,
  webm: scanEbml,
  flac: scanFlac,
  mp3: scanId3,
  ogg: scanOgg,
  glb: scanGlb,
  latent: scanSafetensors,
  svg: scanSvg,
};

/** Box types an ISO-BMFF file starts with (`ftyp`; old QuickTime files start with other top-level atoms). */
const ISOBMFF_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'udta']);

const ascii = (head: Uint8Array, start: number, end: number) => String.fromCharCode(...head.subarray(start, end));

/**
 * Recognises a container by its magic bytes (never by file name).
 * @param head The first bytes of the file ({@link MAGIC_BYTES} are enough).
 * @returns The container, or `undefined` when no reader knows it.
 */
export function detectContainer(head: Uint8Array): EmbeddedContainer | undefined {
  if (PNG_SIGNATURE.every((byte, i) => head[i] === byte)) return 'png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (head.length >= 8 && ISOBMFF_FIRST_BOXES.has(ascii(head, 4, 8))) return 'mp4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (ascii(head, 0, 4) === 'fLaC') return 'flac';
  if (ascii(head, 0, 3) === 'ID3') return 'mp3';
  if (ascii(head, 0, 4) === 'OggS') return 'ogg';
  if (ascii(head, 0, 4) === 'glTF') return 'glb';
  // safetensors: a u64le header length, then the JSON header's opening brace
  if (head.length >= 9 && head[8] === 0x7b && head[4] === 0 && head[5] === 0 && head[6] === 0 && head[7] === 0) return 'latent';
  if (/^(\uFEFF|\xEF\xBB\xBF)?\s*<(\?xml|svg|!--|!DOCTYPE svg)/i.test(ascii(head, 0, head.length))) return 'svg';
  return undefined;
}
