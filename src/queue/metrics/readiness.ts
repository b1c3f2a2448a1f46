/** What `/readyz` answers: ready when Redis answers and at least one ComfyUI server is usable. */
export interface Readiness {
  readonly ready: boolean;
  readonly redis: boolean;
  /** Each server's last probe, by name. */
  readonly servers: Readonly<Record<string, boolean>>;
}
