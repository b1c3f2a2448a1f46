import { ComfyRxError } from '../../errors';

/** The metrics and health server could not listen: the port is in use, or not allowed. */
export class ComfyMetricsServerError extends ComfyRxError {
  readonly code = 'COMFYRX_METRICS_SERVER';
  constructor(
    readonly port: number,
    readonly host: string,
    readonly reason: string,
  ) {
    super(`The metrics server cannot listen on ${host}:${port}: ${reason === 'EADDRINUSE' ? 'the port is in use' : reason === 'EACCES' ? 'permission denied' : reason}`);
    this.name = 'ComfyMetricsServerError';
  }
}
