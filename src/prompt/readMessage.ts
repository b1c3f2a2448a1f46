import { ComfyExecutionError, ComfyInterruptedError } from '../errors';
import type { ComfyMessage } from '../protocol/messages';
import type { PromptSignal } from './signals';

/** The message types {@link readMessage} turns into signals (binary previews aside): a prompt's follower reads no other. */
export const READ_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'execution_start',
  'execution_cached',
  'executing',
  'progress',
  'executed',
  'execution_success',
  'execution_error',
  'execution_interrupted',
]);

/** What reading one prompt's messages remembers from one message to the next. */
export interface MessageReading {
  /** The prompt followed (ids in the signals made here). */
  readonly promptId: string;
  /** Looks up a node's class_type in the submitted workflow. */
  readonly classTypeOf: (node: string) => string | undefined;
  /** `started` was emitted. */
  started: boolean;
  /** The node last seen executing (progress and previews without a node id belong to it). */
  lastNode: string | undefined;
}

/** Where {@link readMessage} puts the signals it makes. */
export interface SignalSink {
  signal(signal: PromptSignal): void;
}

/** A fresh reading of a prompt's messages. */
export function messageReading(promptId: string, classTypeOf: (node: string) => string | undefined): MessageReading {
  return { promptId, classTypeOf, started: false, lastNode: undefined };
}

/**
 * Turns one of a prompt's raw messages into its signals (docs/protocol.md rules 3 and 7), in order:
 * `execution_start` -> `started`; `execution_cached` (non-empty) -> `cached`; `executing` -> `executing`
 * with the node's class_type, `executing null` -> final end (success), `execution_success` -> a
 * non-final end (the history entry is written just after it); `execution_error` -> end with
 * {@link ComfyExecutionError} (except the non-fatal `ExecutionBlocked`, which is `blocked`);
 * `execution_interrupted` -> end with {@link ComfyInterruptedError}; `progress` -> `progress` with
 * percent; previews -> `preview`; `executed` -> `executed`. A prompt that shows activity is `started`
 * once, first. Other messages (status, progress_state, logs, unknown) make no signal.
 * No allocation beyond the signals themselves: the prompt's state machine calls it per message.
 * @example readMessage(reading, message, { signal: (s) => console.log(s.type) })
 */
export function readMessage(reading: MessageReading, message: ComfyMessage, sink: SignalSink): void {
  switch (message.type) {
    case 'execution_start':
      start(reading, sink);
      break;
    case 'execution_cached':
      start(reading, sink);
      if (message.data.nodes.length) sink.signal({ type: 'cached', nodes: message.data.nodes });
      break;
    case 'executing': {
      const { node } = message.data;
      if (node === null) {
        sink.signal(SUCCESS_FINAL);
        break;
      }
      start(reading, sink);
      reading.lastNode = node;
      sink.signal({ type: 'executing', node, classType: reading.classTypeOf(node) });
      break;
    }
    case 'progress': {
      start(reading, sink);
      const { value, max } = message.data;
      const node = message.data.node ?? reading.lastNode;
      const percent = max > 0 ? Math.round((1000 * Math.min(value, max)) / max) / 10 : 0;
      sink.signal({ type: 'progress', node: node ?? undefined, value, max, percent });
      break;
    }
    case 'preview_image':
      sink.signal({ type: 'preview', node: message.data.metadata?.node_id ?? reading.lastNode, mime: message.data.mime, data: message.data.image });
      break;
    case 'executed':
      sink.signal({ type: 'executed', node: message.data.node, output: message.data.output });
      break;
    case 'execution_success':
      sink.signal(SUCCESS_NOT_FINAL);
      break;
    case 'execution_error': {
      const data = message.data;
      if (data.exception_type === 'ExecutionBlocked') {
        sink.signal({ type: 'blocked', node: data.node_id, message: data.exception_message });
        break;
      }
      sink.signal({ type: 'end', outcome: { kind: 'failed', error: ComfyExecutionError.fromData(reading.promptId, data) }, final: true });
      break;
    }
    case 'execution_interrupted':
      sink.signal({ type: 'end', outcome: { kind: 'failed', error: new ComfyInterruptedError(reading.promptId, message.data.node_id, message.data.node_type) }, final: true });
      break;
    case 'status':
    case 'progress_state':
    case 'progress_text':
    case 'feature_flags':
    case 'logs':
    case 'unknown':
      break;
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}

const SUCCESS_FINAL: PromptSignal = { type: 'end', outcome: { kind: 'success' }, final: true };
const SUCCESS_NOT_FINAL: PromptSignal = { type: 'end', outcome: { kind: 'success' }, final: false };

function start(reading: MessageReading, sink: SignalSink): void {
  if (reading.started) return;
  reading.started = true;
  sink.signal({ type: 'started', promptId: reading.promptId });
}
