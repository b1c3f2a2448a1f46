import { z } from 'zod';
import { ComfyProtocolError } from '../errors';
import type { UnknownMessage } from './messages';
import { parsePythonJson } from './pythonJson';

/** Binary event codes (docs/protocol.md §4; bare § numbers below refer to it). Type 2 is internal and never on the wire. */
export const BinaryEventType = { PREVIEW_IMAGE: 1, UNENCODED_PREVIEW_IMAGE: 2, TEXT: 3, PREVIEW_IMAGE_WITH_METADATA: 4 } as const;

/** §4.2 Metadata JSON of a type-4 preview frame. */
export const PreviewMetadata = z.object({
  node_id: z.string(),
  prompt_id: z.string(),
  display_node_id: z.string().optional(),
  parent_node_id: z.string().nullable().optional(),
  real_node_id: z.string().nullable().optional(),
  image_type: z.string(),
});
export type PreviewMetadata = z.infer<typeof PreviewMetadata>;

const Bytes = z.custom<Buffer>((value) => Buffer.isBuffer(value), 'expected a Buffer');

/** A preview image: type 1 (no ids: attribute it to the running prompt) or type 4 (with metadata). */
export const PreviewImageMessage = z.object({
  type: z.literal('preview_image'),
  data: z.object({ mime: z.string(), image: Bytes, metadata: PreviewMetadata.optional() }),
});
/** §4.3 Progress text of a node (broadcast; may belong to another client's prompt). */
export const ProgressTextMessage = z.object({
  type: z.literal('progress_text'),
  data: z.object({ node: z.string(), text: z.string(), prompt_id: z.string().optional() }),
});
export const BinaryMessage = z.discriminatedUnion('type', [PreviewImageMessage, ProgressTextMessage]);

export type PreviewImageMessage = z.infer<typeof PreviewImageMessage>;
export type ProgressTextMessage = z.infer<typeof ProgressTextMessage>;
export type BinaryMessage = z.infer<typeof BinaryMessage>;

const IMAGE_FORMATS: Readonly<Record<number, string>> = { 1: 'image/jpeg', 2: 'image/png' };

/**
 * Decodes one binary frame (§4): 4-byte big-endian event type, then the payload. An unknown event
 * type passes through as `{ type: 'unknown', rawType: 'binary:<n>', data: <payload bytes> }`.
 * Throws {@link ComfyProtocolError} for a frame too short for its own header or with bad metadata.
 */
export function decodeBinaryFrame(frame: Buffer): BinaryMessage | UnknownMessage {
  if (frame.length < 4) throw new ComfyProtocolError(`Binary frame of ${frame.length} bytes has no event type`);
  const eventType = frame.readUInt32BE(0);
  switch (eventType) {
    case BinaryEventType.PREVIEW_IMAGE: {
      need(frame, 8, 'preview image');
      const mime = IMAGE_FORMATS[frame.readUInt32BE(4)] ?? 'image/jpeg';
      return { type: 'preview_image', data: { mime, image: frame.subarray(8) } };
    }
    case BinaryEventType.PREVIEW_IMAGE_WITH_METADATA: {
      need(frame, 8, 'preview with metadata');
      const length = frame.readUInt32BE(4);
      need(frame, 8 + length, 'preview metadata');
      let json: unknown;
      try {
        json = parsePythonJson(frame.subarray(8, 8 + length).toString('utf8'));
      } catch (cause) {
        throw new ComfyProtocolError('Preview metadata is not JSON', { rawType: 'binary:4' }, { cause });
      }
      const metadata = PreviewMetadata.safeParse(json);
      if (!metadata.success) throw new ComfyProtocolError('Malformed preview metadata', { rawType: 'binary:4', issues: metadata.error.issues });
      return { type: 'preview_image', data: { mime: metadata.data.image_type, image: frame.subarray(8 + length), metadata: metadata.data } };
    }
    case BinaryEventType.TEXT: {
      need(frame, 8, 'progress text');
      const length = frame.readUInt32BE(4);
      need(frame, 8 + length, 'progress text node id');
      return {
        type: 'progress_text',
        data: { node: frame.subarray(8, 8 + length).toString('utf8'), text: frame.subarray(8 + length).toString('utf8') },
      };
    }
    default:
      return { type: 'unknown', rawType: `binary:${eventType}`, data: frame.subarray(4) };
  }
}

function need(frame: Buffer, bytes: number, what: string): void {
  if (frame.length < bytes) throw new ComfyProtocolError(`Binary frame too short for its ${what}: ${frame.length} < ${bytes} bytes`);
}

/** Encodes a binary frame the way the server does (used by the fake server and tests). */
export function encodeBinaryFrame(message: BinaryMessage): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  if (message.type === 'progress_text') {
    const node = Buffer.from(message.data.node, 'utf8');
    return Buffer.concat([u32(BinaryEventType.TEXT), u32(node.length), node, Buffer.from(message.data.text, 'utf8')]);
  }
  const { metadata, image, mime } = message.data;
  if (metadata) {
    const json = Buffer.from(JSON.stringify(metadata), 'utf8');
    return Buffer.concat([u32(BinaryEventType.PREVIEW_IMAGE_WITH_METADATA), u32(json.length), json, image]);
  }
  return Buffer.concat([u32(BinaryEventType.PREVIEW_IMAGE), u32(mime === 'image/png' ? 2 : 1), image]);
}
