import { type Frame, type KnownMessage, type UnknownMessage, frameMessage, readFrame } from '../protocol/messages';

/**
 * What the socket makes of one text frame: its JSON and `type` are read (`readFrame`); when `wants`
 * declines the frame, nothing more (no validation, nothing emitted: `undefined`); otherwise the
 * validated message (`frameMessage`).
 * @throws ComfyProtocolError for a frame that is not JSON, has no `{type, data}`, or (when wanted) a malformed payload.
 * @example const message = textFrameMessage(data.toString(), (frame) => router.wants(frame.type, framePromptId(frame)));
 */
export function textFrameMessage(text: string, wants?: (frame: Frame) => boolean): KnownMessage | UnknownMessage | undefined {
  const frame = readFrame(text);
  if (wants && !wants(frame)) return undefined;
  return frameMessage(frame);
}
