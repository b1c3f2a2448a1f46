/**
 * What `ComfyClient.cancel(promptId)` found after asking the server to stop a prompt, on either
 * surface: the server's word is never taken for it (comfy-api-proxy over ComfyUI 0.8.0 answers
 * `canceling` and lets the job run on); the prompt is looked at again until it stopped or the
 * checks ran out.
 */
export interface CancelResult {
  readonly promptId: string;
  /** The prompt is no longer queued or running. */
  readonly stopped: boolean;
  /**
   * `cancelled`: removed from the queue or interrupted by this cancel; `finished`: it ended on its
   * own (succeeded or failed) before the cancel could act; `running` / `queued`: still there after
   * the checks (the cancel had no effect); `unknown`: the server does not know the prompt.
   */
  readonly state: 'cancelled' | 'finished' | 'running' | 'queued' | 'unknown';
}
