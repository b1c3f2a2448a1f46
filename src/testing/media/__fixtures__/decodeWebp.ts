/**
 * Test-only WebP decoding by libwebp itself: node-webpmux parses the RIFF container (VP8X, ANIM,
 * ANMF, VP8L) and ships libwebp compiled to WebAssembly, so it runs on every machine without
 * native code or downloads. Each frame is cut out as a standalone .webp and decoded with libwebp's
 * `WebPDecodeRGBA`; a frame that does not decode throws (node-webpmux's own `getFrameData` would
 * return whatever memory sits at address 0). Lives under __fixtures__ so the package build leaves it out.
 */
import { type AnimationFrame, Image } from 'node-webpmux';
import LibWebp from 'node-webpmux/libwebp.js';

export interface DecodedWebpFrame {
  /** Offsets in pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly durationMs: number;
  /** ANMF: alpha-blend onto the previous frame (false = replace the area). */
  readonly blend: boolean;
  /** ANMF: dispose to the background colour after the frame. */
  readonly dispose: boolean;
  /** The VP8L header's alpha hint. */
  readonly alphaHint: boolean;
  /** Length of the frame's VP8L payload in bytes. */
  readonly bitstreamBytes: number;
  /** The pixels libwebp decoded, RGBA. */
  readonly rgba: Buffer;
}

export interface DecodedWebp {
  readonly width: number;
  readonly height: number;
  readonly animated: boolean;
  /** ANIM loop count (0 = forever); undefined for a still image. */
  readonly loopCount?: number;
  /** ANIM background colour bytes in file order (B, G, R, A); undefined for a still image. */
  readonly background?: number[];
  readonly frames: DecodedWebpFrame[];
}

let libwebp: Promise<LibWebp> | undefined;

function loadLibwebp(): Promise<LibWebp> {
  libwebp ??= (async () => {
    const lib = new LibWebp();
    await lib.init();
    return lib;
  })();
  return libwebp;
}

function decodeRgba(lib: LibWebp, file: Uint8Array, width: number, height: number): Buffer {
  const { api, Module } = lib;
  const input = api.allocBuffer(file.length);
  try {
    Module.HEAP8.set(file, input);
    const pixels = api.decodeRGBA(input, file.length);
    if (pixels === 0) throw new Error('libwebp: the file does not decode (WebPDecodeRGBA failed)');
    try {
      return Buffer.from(new Uint8Array(Module.HEAP8.buffer, pixels, width * height * 4));
    } finally {
      api.decodeFree(pixels);
    }
  } finally {
    api.destroyBuffer(input);
  }
}

/**
 * Decodes a still or animated lossless WebP with libwebp.
 * @throws Error when the container or any frame's bitstream is malformed.
 */
export async function decodeWebp(file: Buffer): Promise<DecodedWebp> {
  const lib = await loadLibwebp();
  const image = new Image();
  await image.load(file);
  if (!image.hasAnim || !image.anim) {
    const vp8l = image.data.vp8l;
    if (!vp8l) throw new Error('not a lossless (VP8L) WebP');
    const { width, height } = vp8l;
    const rgba = decodeRgba(lib, file, width, height);
    return { width, height, animated: false, frames: [{ x: 0, y: 0, width, height, durationMs: 0, blend: false, dispose: false, alphaHint: vp8l.alpha, bitstreamBytes: vp8l.raw.length, rgba }] };
  }
  const { anim } = image;
  const files = await image.demux({ buffers: true });
  const frames = anim.frames.map((frame: AnimationFrame, k) => {
    if (!frame.vp8l) throw new Error(`frame ${k} is not lossless (VP8L)`);
    const { width, height } = frame;
    const rgba = decodeRgba(lib, files[k] as Buffer, width, height);
    return { x: 2 * frame.x, y: 2 * frame.y, width, height, durationMs: frame.delay, blend: frame.blend, dispose: frame.dispose, alphaHint: frame.vp8l.alpha, bitstreamBytes: frame.vp8l.raw.length, rgba };
  });
  return { width: image.width, height: image.height, animated: true, loopCount: anim.loops, background: [...Array.from(anim.bgColor)], frames };
}

/** Wraps a VP8L bitstream into a still .webp file (RIFF/WEBP with one VP8L chunk, padded to even length). */
export function stillWebp(vp8l: Buffer): Buffer {
  const chunk = Buffer.alloc(8 + vp8l.length + (vp8l.length & 1));
  chunk.write('VP8L', 0, 'latin1');
  chunk.writeUInt32LE(vp8l.length, 4);
  vp8l.copy(chunk, 8);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunk]);
}
