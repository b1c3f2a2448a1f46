import { Observable } from 'rxjs';
import { ComfyOptionsError } from '../errors';
import { type ComfyMessage, promptIdOf } from '../protocol/messages';
import { READ_MESSAGE_TYPES } from './readMessage';

/**
 * Splits the shared socket's messages into per-prompt streams by `prompt_id`: one Map lookup per
 * message, whatever the number of prompts in flight (docs/architecture.md, performance rules).
 *
 * Messages without a prompt id go to the prompt this client is running, when they are about it:
 * type-1 previews (servers that did not negotiate metadata), `progress` of old servers, and the
 * reconnect hint `executing {node}`. Everything else without an id (status, logs...) is not routed.
 */
export class PromptRouter {
  private readonly routes = new Map<string, (message: ComfyMessage) => void>();
  /** Our prompt the server is executing, as last seen on the socket. */
  private running: string | undefined;

  /** Prompts currently attached. */
  get size(): number {
    return this.routes.size;
  }

  /**
   * The messages of one prompt. Subscribing registers the route, unsubscribing removes it.
   * One subscriber per prompt id at a time.
   */
  attach(promptId: string): Observable<ComfyMessage> {
    return new Observable<ComfyMessage>((subscriber) => {
      if (this.routes.has(promptId)) {
        subscriber.error(new ComfyOptionsError(`Prompt id ${promptId} is already being followed by this client`));
        return;
      }
      const deliver = (message: ComfyMessage) => subscriber.next(message);
      this.routes.set(promptId, deliver);
      return () => {
        if (this.routes.get(promptId) === deliver) this.routes.delete(promptId);
        if (this.running === promptId) this.running = undefined;
      };
    });
  }

  /**
   * Whether a text frame of this type, for this prompt (`data.prompt_id`, read before validation),
   * would reach a follower that reads it: the socket validates only those (and everything while
   * someone subscribes to `messages$`). Frames of prompts nobody follows, and types no follower
   * reads (`progress_state`, `status`...), need no validation. Without a prompt id: the `progress`
   * of old servers and the reconnect hint `executing`, while one of ours runs.
   */
  wants(type: string, promptId: string | undefined): boolean {
    if (promptId !== undefined) return READ_MESSAGE_TYPES.has(type) && this.routes.has(promptId);
    return this.running !== undefined && (type === 'progress' || type === 'executing');
  }

  /** Delivers one message to the prompt it belongs to (called once per message, before any fan-out). */
  dispatch(message: ComfyMessage): void {
    const promptId = promptIdOf(message);
    if (promptId !== undefined) {
      const route = this.routes.get(promptId);
      if (route) this.track(promptId, message);
      route?.(message);
      return;
    }
    if (this.running === undefined) return;
    if (message.type === 'preview_image' || message.type === 'progress' || (message.type === 'executing' && message.data.node !== null)) {
      this.routes.get(this.running)?.(message);
    }
  }

  private track(promptId: string, message: ComfyMessage): void {
    switch (message.type) {
      case 'execution_start':
        this.running = promptId;
        break;
      case 'executing':
        this.running = message.data.node === null ? (this.running === promptId ? undefined : this.running) : promptId;
        break;
      case 'execution_success':
      case 'execution_error':
      case 'execution_interrupted':
        if (this.running === promptId && !(message.type === 'execution_error' && message.data.exception_type === 'ExecutionBlocked')) {
          this.running = undefined;
        }
        break;
      default:
        break;
    }
  }
}
