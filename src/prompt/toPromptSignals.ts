import { Observable, type OperatorFunction } from 'rxjs';
import { ComfyExecutionError, ComfyInterruptedError } from '../errors';
import type { ComfyMessage } from '../protocol/messages';
import type { PromptSignal } from './signals';

/**
 * Turns one prompt's raw messages into its public events and its end (docs/protocol.md rules 3 and 7):
 * `execution_start` -> `started`; `execution_cached` (non-empty) -> `cached`; `executing` -> `executing`
 * with the node's class_type, `executing null` -> final end (success), `execution_success` -> a
 * non-final end (the history entry is written just after it);
 * `execution_error` -> end with {@link ComfyExecutionError} (except the non-fatal `ExecutionBlocked`,
 * which is `blocked`); `execution_interrupted` -> end with {@link ComfyInterruptedError};
 * `progress` -> `progress` with percent; previews -> `preview`; `executed` -> `executed`.
 * Other messages (status, progress_state, logs, unknown) carry no event.
 * ```text
 * source: s-x-p-e-n      s = execution_start, x = executing "3", p = progress 5/10, e = executed, n = executing null
 * result: t-x-p-e-(E)    t = started, x = executing {node:"3", classType:"KSampler"}, p = progress 50%, E = end
 * ```
 * @param promptId The prompt followed (ids in events).
 * @param classTypeOf Looks up a node's class_type in the submitted workflow.
 * @example router.attach(id).pipe(toPromptSignals(id, (node) => workflow[node]?.class_type))
 */
export function toPromptSignals(promptId: string, classTypeOf: (node: string) => string | undefined): OperatorFunction<ComfyMessage, PromptSignal> {
  return (source) =>
    new Observable<PromptSignal>((subscriber) => {
      let started = false;
      let lastNode: string | undefined;
      const start = () => {
        if (started) return;
        started = true;
        subscriber.next({ type: 'started', promptId });
      };
      return source.subscribe({
        next: (message) => {
          switch (message.type) {
            case 'execution_start':
              start();
              break;
            case 'execution_cached':
              start();
              if (message.data.nodes.length) subscriber.next({ type: 'cached', nodes: message.data.nodes });
              break;
            case 'executing': {
              const { node } = message.data;
              if (node === null) {
                subscriber.next({ type: 'end', outcome: { kind: 'success' }, final: true });
                break;
              }
              start();
              lastNode = node;
              subscriber.next({ type: 'executing', node, classType: classTypeOf(node) });
              break;
            }
            case 'progress': {
              start();
              const { value, max } = message.data;
              const node = message.data.node ?? lastNode;
              const percent = max > 0 ? Math.round((1000 * Math.min(value, max)) / max) / 10 : 0;
              subscriber.next({ type: 'progress', node: node ?? undefined, value, max, percent });
              break;
            }
            case 'preview_image':
              subscriber.next({ type: 'preview', node: message.data.metadata?.node_id ?? lastNode, mime: message.data.mime, data: message.data.image });
              break;
            case 'executed':
              subscriber.next({ type: 'executed', node: message.data.node, output: message.data.output });
              break;
            case 'execution_success':
              subscriber.next({ type: 'end', outcome: { kind: 'success' }, final: false });
              break;
            case 'execution_error': {
              const data = message.data;
              if (data.exception_type === 'ExecutionBlocked') {
                subscriber.next({ type: 'blocked', node: data.node_id, message: data.exception_message });
                break;
              }
              const error = ComfyExecutionError.fromData(promptId, data);
              subscriber.next({ type: 'end', outcome: { kind: 'failed', error }, final: true });
              break;
            }
            case 'execution_interrupted':
              subscriber.next({ type: 'end', outcome: { kind: 'failed', error: new ComfyInterruptedError(promptId, message.data.node_id, message.data.node_type) }, final: true });
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
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
