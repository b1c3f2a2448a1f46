/**
 * Test-only parser of an animated WebP container (RIFF/WEBP, VP8X, ANIM, ANMF*), strict about sizes
 * and padding. Returns the fields and each frame's VP8L payload, without decoding it.
 * Lives under __fixtures__ so the package build leaves it out.
 */

export interface ParsedAnimationFrame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly durationMs: number;
  /** ANMF flag byte: bit 1 = do not blend, bit 0 = dispose to background. */
  readonly flags: number;
  /** FourCCs of the chunks inside the ANMF payload. */
  readonly innerChunks: string[];
  /** Payload of the frame's VP8L chunk. */
  readonly vp8l: Buffer;
}

export interface ParsedAnimatedWebp {
  /** FourCCs of the top-level chunks, in order. */
  readonly chunks: string[];
  readonly vp8xFlags: number;
  readonly canvasWidth: number;
  readonly canvasHeight: number;
  /** ANIM background colour bytes, in file order (B, G, R, A). */
  readonly background: number[];
  readonly loopCount: number;
  readonly frames: ParsedAnimationFrame[];
}

interface RiffChunk {
  fourCC: string;
  payload: Buffer;
}

function readChunks(buf: Buffer, from: number, to: number): RiffChunk[] {
  const chunks: RiffChunk[] = [];
  let at = from;
  while (at < to) {
    if (at + 8 > to) throw new Error(`RIFF: truncated chunk header at byte ${at}`);
    const size = buf.readUInt32LE(at + 4);
    const end = at + 8 + size + (size & 1);
    if (end > to) throw new Error(`RIFF: chunk at byte ${at} runs past its container`);
    if (size & 1 && buf[at + 8 + size] !== 0) throw new Error(`RIFF: non-zero padding byte after chunk at byte ${at}`);
    chunks.push({ fourCC: buf.toString('latin1', at, at + 4), payload: buf.subarray(at + 8, at + 8 + size) });
    at = end;
  }
  return chunks;
}

/** @throws Error when the container is malformed or not an animation. */
export function parseAnimatedWebp(buf: Buffer): ParsedAnimatedWebp {
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not RIFF/WEBP');
  if (buf.readUInt32LE(4) !== buf.length - 8) throw new Error(`RIFF size ${buf.readUInt32LE(4)} != file size - 8 (${buf.length - 8})`);
  const chunks = readChunks(buf, 12, buf.length);
  const [vp8x, anim] = chunks;
  if (vp8x?.fourCC !== 'VP8X' || vp8x.payload.length !== 10) throw new Error('first chunk must be a 10-byte VP8X');
  if (anim?.fourCC !== 'ANIM' || anim.payload.length !== 6) throw new Error('second chunk must be a 6-byte ANIM');
  const frames = chunks.slice(2).map((chunk): ParsedAnimationFrame => {
    if (chunk.fourCC !== 'ANMF') throw new Error(`unexpected chunk ${chunk.fourCC} among frames`);
    const p = chunk.payload;
    const inner = readChunks(p, 16, p.length);
    const vp8l = inner.find((c) => c.fourCC === 'VP8L');
    if (!vp8l) throw new Error('ANMF without VP8L');
    return {
      x: 2 * p.readUIntLE(0, 3),
      y: 2 * p.readUIntLE(3, 3),
      width: p.readUIntLE(6, 3) + 1,
      height: p.readUIntLE(9, 3) + 1,
      durationMs: p.readUIntLE(12, 3),
      flags: p[15],
      innerChunks: inner.map((c) => c.fourCC),
      vp8l: vp8l.payload,
    };
  });
  return {
    chunks: chunks.map((c) => c.fourCC),
    vp8xFlags: vp8x.payload[0],
    canvasWidth: vp8x.payload.readUIntLE(4, 3) + 1,
    canvasHeight: vp8x.payload.readUIntLE(7, 3) + 1,
    background: [...anim.payload.subarray(0, 4)],
    loopCount: anim.payload.readUInt16LE(4),
    frames,
  };
}
