/** The part of node-webpmux (no bundled types) that the test decoder uses. */
declare module 'node-webpmux' {
  /** A VP8L chunk as the container parser reads it (size and alpha hint from the bitstream header). */
  export interface Vp8lChunk {
    readonly raw: Buffer;
    readonly alpha: boolean;
    readonly width: number;
    readonly height: number;
  }
  /** One ANMF frame: offsets are in pixels / 2 as stored, delay in ms. */
  export interface AnimationFrame {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly delay: number;
    readonly blend: boolean;
    readonly dispose: boolean;
    readonly vp8l?: Vp8lChunk;
  }
  export class Image {
    load(data: Buffer): Promise<void>;
    readonly width: number;
    readonly height: number;
    readonly hasAnim: boolean;
    readonly anim: { readonly bgColor: ArrayLike<number>; readonly loops: number; readonly frames: AnimationFrame[] } | undefined;
    readonly data: { readonly vp8l?: Vp8lChunk; readonly extended?: { readonly hasAnim: boolean; readonly hasAlpha: boolean } };
    /** Each frame as a standalone .webp file. */
    demux(options: { buffers: true }): Promise<Buffer[]>;
  }
}

/** libwebp compiled to WebAssembly, as node-webpmux ships it. */
declare module 'node-webpmux/libwebp.js' {
  export default class LibWebp {
    init(): Promise<void>;
    readonly Module: { readonly HEAP8: Int8Array };
    readonly api: {
      allocBuffer(size: number): number;
      destroyBuffer(pointer: number): void;
      /** `WebPDecodeRGBA`: a pointer to the pixels, 0 when the file does not decode. */
      decodeRGBA(pointer: number, size: number): number;
      decodeFree(pointer: number): void;
    };
  }
}
